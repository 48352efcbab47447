import type Stripe from 'stripe'
import type { ExpiringIds } from '../shared/expiring-ids.js'
import type { DomainEvent } from './domain-events.js'
import { implausibility } from './plausible.js'

/** A Stripe event enrichment could not turn into a domain event: it stays a raw event only. */
export interface RejectedEvent {
  /** The Stripe event's id, `evt_…`. */
  readonly eventId: string
  /** Its type, e.g. `payout.paid`. */
  readonly type: string
  /** What was wrong, for a person (never a secret: it names fields, not keys). */
  readonly reason: string
}

/** What one batch found, before it is committed. */
export class BatchOutcome {
  readonly events: DomainEvent[] = []
  readonly rejected: RejectedEvent[] = []
  /** Ids recorded by this batch: domain events, payments (`pay:…`), rejected events (`evt:…`). */
  readonly ids = new Set<string>()
  readonly #emitted: ExpiringIds
  readonly #currencies: ReadonlySet<string>

  constructor(emitted: ExpiringIds, currencies: ReadonlySet<string>) {
    this.#emitted = emitted
    this.#currencies = currencies
  }

  has(id: string): boolean {
    return this.ids.has(id) || this.#emitted.has(id)
  }

  /** Keeps a built event, unless it was emitted already or cannot be true. */
  accept(event: DomainEvent | undefined, sources: readonly Stripe.Event[]): void {
    if (!event || this.has(event.id)) return
    this.ids.add(event.id)
    const problem = implausibility(event, this.#currencies)
    if (problem) this.reject(sources, `${problem}; not notified`)
    else this.events.push(event)
  }

  /** Records Stripe events that cannot be enriched, so they are reported once and never retried. */
  reject(sources: readonly Stripe.Event[], reason: string): void {
    for (const source of sources) {
      if (this.has(`evt:${source.id}`)) continue
      this.ids.add(`evt:${source.id}`)
      this.rejected.push({ eventId: source.id, type: source.type, reason })
    }
  }
}
