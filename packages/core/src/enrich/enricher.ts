import type Stripe from 'stripe'
import type { ExpiringIds } from '../shared/expiring-ids.js'
import type { KeyValueStore } from '../shared/store.js'
import type { EnrichContext } from './context.js'
import type { DomainEvent, EventAccount } from './domain-events.js'
import { deletePending, emittedIds, loadPending, type PendingEvent, savePending } from './enrich-state.js'
import { obj } from './fields.js'
import { invoiceLinks } from './invoice-links.js'
import type { StripeLookups } from './lookups.js'
import { groupPayments, isComplete, isPaid, PAYMENT_EVENT_TYPES } from './payment-groups.js'
import { implausibility, knownCurrencies } from './plausible.js'
import { buildSale } from './sale.js'
import { SINGLE_BUILDERS } from './singles.js'

/** How an account's enricher is set up. */
export interface EnricherSettings {
  /** The account's store key, `acct_…/mode`. */
  readonly ref: string
  /** The account as events show it (read at each batch: its name or logo may change). */
  readonly account: () => EventAccount
  /** The account's look-ups. */
  readonly lookups: StripeLookups
  /** The state store. */
  readonly store: KeyValueStore
  /** Seconds a payment's newest event must be old before it is emitted without all its events. */
  readonly settleSeconds: number
  /** The clock, ms. */
  readonly now: () => number
}

/** A Stripe event enrichment could not turn into a domain event: it stays a raw event only. */
export interface RejectedEvent {
  /** The Stripe event's id, `evt_…`. */
  readonly eventId: string
  /** Its type, e.g. `payout.paid`. */
  readonly type: string
  /** What was wrong, for a person (never a secret: it names fields, not keys). */
  readonly reason: string
}

/** The result of one batch: domain events to emit, and the write that records them once emitted. */
export interface EnrichResult {
  /** New domain events, oldest first. */
  readonly events: DomainEvent[]
  /** Stripe events that could not be enriched, each reported once. */
  readonly rejected: readonly RejectedEvent[]
  /** Persists that they were emitted: call it after emitting and handing them to delivery. */
  commit(): Promise<void>
}

/** What one batch found, before it is committed. */
class BatchOutcome {
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

function describeFailure(error: unknown): string {
  return `enrichment failed: ${error instanceof Error ? error.message : String(error)}`
}

/**
 * Turns one account's raw Stripe events into domain events: exactly one `sale` per payment, whichever of
 * its events arrive, in whatever order, in one poll or several, before or after a restart. One event that
 * cannot be enriched never stops the others: it is reported and passed over.
 */
export class Enricher {
  readonly #settings: EnricherSettings
  readonly #emitted: ExpiringIds
  readonly #currencies = knownCurrencies()
  #pending: readonly PendingEvent[] | undefined

  constructor(settings: EnricherSettings) {
    this.#settings = settings
    this.#emitted = emittedIds(settings.store, settings.ref, settings.now)
  }

  /** Enriches a batch of new events (oldest first); also settles payments held from earlier batches. */
  async process(batch: readonly Stripe.Event[], backfill: boolean): Promise<EnrichResult> {
    await this.#emitted.load()
    this.#pending ??= await loadPending(this.#settings.store, this.#settings.ref)
    const held = this.#pending
    const context: EnrichContext = {
      account: this.#settings.account(),
      lookups: this.#settings.lookups,
      backfill,
    }
    for (const event of batch) this.#remember(event)
    const outcome = new BatchOutcome(this.#emitted, this.#currencies)
    for (const event of batch) {
      const builder = SINGLE_BUILDERS[event.type]
      if (!builder || outcome.has(`evt:${event.id}`)) continue
      try {
        outcome.accept(await builder(event, batch, context), [event])
      } catch (error) {
        outcome.reject([event], describeFailure(error))
      }
    }
    const payments = [
      ...held,
      ...batch.filter((e) => PAYMENT_EVENT_TYPES.has(e.type)).map((event) => ({ event, backfill })),
    ]
    const pending = await this.#settlePayments(payments, context, outcome)
    outcome.events.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    return {
      events: outcome.events,
      rejected: outcome.rejected,
      commit: () => this.#commit(outcome.ids, held, pending),
    }
  }

  /** Deletes what the enricher persisted (the account was removed for good). */
  async forget(): Promise<void> {
    this.#pending = []
    await this.#emitted.clear()
    await deletePending(this.#settings.store, this.#settings.ref)
  }

  /** Builds the sales whose payments are complete or settled; returns the events still held. */
  async #settlePayments(
    payments: readonly PendingEvent[],
    context: EnrichContext,
    outcome: BatchOutcome,
  ): Promise<PendingEvent[]> {
    const nowSeconds = Math.floor(this.#settings.now() / 1000)
    const byEvent = new Map(payments.map((p) => [p.event, p]))
    const links = await invoiceLinks([...byEvent.keys()], this.#settings.lookups)
    const pending: PendingEvent[] = []
    for (const group of groupPayments([...byEvent.keys()], links)) {
      const held = group.events.map((event) => byEvent.get(event) ?? { event, backfill: context.backfill })
      const ids = [...group.ids].map((id) => `pay:${id}`)
      if (ids.some((id) => outcome.has(id))) {
        for (const id of ids) outcome.ids.add(id)
        continue
      }
      const settled =
        Math.max(...group.events.map((e) => e.created)) <= nowSeconds - this.#settings.settleSeconds
      if (!isPaid(group) || !(settled || isComplete(group))) {
        if (!settled) pending.push(...held)
        continue
      }
      try {
        const sale = await buildSale(group, { ...context, backfill: held.every((p) => p.backfill) })
        if (!sale) continue
        for (const id of ids) outcome.ids.add(id)
        outcome.accept(sale, group.events)
      } catch (error) {
        for (const id of ids) outcome.ids.add(id)
        outcome.reject(group.events, describeFailure(error))
      }
    }
    return pending
  }

  async #commit(
    ids: ReadonlySet<string>,
    before: readonly PendingEvent[],
    after: PendingEvent[],
  ): Promise<void> {
    this.#emitted.add(ids)
    await this.#emitted.flush()
    this.#pending = after
    const same = before.length === after.length && before.every((p, i) => p.event.id === after[i]?.event.id)
    if (!same) await savePending(this.#settings.store, this.#settings.ref, after)
  }

  /** Objects inside events are remembered, so enrichment need not read them again. */
  #remember(event: Stripe.Event): void {
    const object = obj(event.data.object)
    if (!object) return
    this.#settings.lookups.remember(object)
    const customer = obj(object.customer)
    if (customer) this.#settings.lookups.remember(customer)
  }
}
