import type Stripe from 'stripe'
import { DEFAULTS } from '../shared/defaults.js'
import type { ExpiringIds } from '../shared/expiring-ids.js'
import { type Money, MoneyFormats } from '../shared/money.js'
import type { KeyValueStore } from '../shared/store.js'
import type { EnrichContext } from './context.js'
import type { DomainEvent, EventAccount } from './domain-events.js'
import {
  deletePending,
  emittedIds,
  loadPending,
  type PendingEvent,
  type PendingState,
  savePending,
} from './enrich-state.js'
import { prefetchFees } from './fee-prefetch.js'
import { obj } from './fields.js'
import type { StripeLookups } from './lookups.js'
import { BatchOutcome, type RejectedEvent } from './outcome.js'
import { PAYMENT_EVENT_TYPES } from './payment-groups.js'
import { knownCurrencies } from './plausible.js'
import { type Repair, runRepairs } from './repairs.js'
import { type SettleTimes, settleDeadline, settlePayments } from './settle.js'
import { SINGLE_BUILDERS } from './singles.js'

export type { RejectedEvent }

/** How an account's enricher is set up. */
export interface EnricherSettings
  extends Pick<SettleTimes, 'settleMs'>,
    Partial<Omit<SettleTimes, 'settleMs'>> {
  /** The account's store key, `acct_…/mode`. */
  readonly ref: string
  /** The account as events show it (read at each batch: its name or logo may change). */
  readonly account: () => EventAccount
  /** The account's look-ups. */
  readonly lookups: StripeLookups
  /** The state store. */
  readonly store: KeyValueStore
  /** The clock, ms. */
  readonly now: () => number
  /** Formatters of amounts, shared by the accounts of an instance (one per enricher by default). */
  readonly formats?: MoneyFormats
  /** The currencies Intl knows, shared by the accounts of an instance (built per enricher by default). */
  readonly currencies?: ReadonlySet<string>
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

function describeFailure(error: unknown): string {
  return `enrichment failed: ${error instanceof Error ? error.message : String(error)}`
}

/**
 * Turns one account's raw Stripe events into domain events: exactly one `sale` per payment, whichever of
 * its events arrive, in whatever order, in one poll or several, before or after a restart. One event that
 * cannot be enriched never stops the others: it is reported and passed over. A sale whose look-up failed
 * for a reason that passes waits a while for it, and is completed later (`sale.updated`) if it must go out.
 */
export class Enricher {
  readonly #settings: EnricherSettings & SettleTimes
  readonly #emitted: ExpiringIds
  readonly #currencies: ReadonlySet<string>
  readonly #money: (amount: number, currency: string) => Money
  #held: Pick<PendingState, 'pending' | 'repairs'> | undefined

  constructor(settings: EnricherSettings) {
    this.#settings = {
      holdMs: DEFAULTS.enrichment.holdMs,
      repairForMs: DEFAULTS.enrichment.repairForMs,
      ...settings,
    }
    this.#emitted = emittedIds(settings.store, settings.ref, settings.now)
    this.#currencies = settings.currencies ?? knownCurrencies()
    const formats = settings.formats ?? new MoneyFormats()
    this.#money = (amount, currency) => formats.money(amount, currency)
  }

  /** Enriches a batch of new events (oldest first); also settles payments held from earlier batches. */
  async process(batch: readonly Stripe.Event[], backfill: boolean): Promise<EnrichResult> {
    await this.#emitted.load()
    this.#held ??= await loadPending(this.#settings.store, this.#settings.ref)
    const held = this.#held
    const context: EnrichContext = {
      account: this.#settings.account(),
      lookups: this.#settings.lookups,
      backfill,
      money: this.#money,
    }
    for (const event of batch) this.#remember(event)
    const outcome = new BatchOutcome(this.#emitted, this.#currencies)
    await this.#singles(batch, context, outcome)
    const payments = [
      ...held.pending,
      ...batch.filter((e) => PAYMENT_EVENT_TYPES.has(e.type)).map((event) => ({ event, backfill })),
    ]
    await prefetchFees(
      payments.map((p) => p.event),
      context.lookups,
    )
    const nowMs = this.#settings.now()
    const times = { ...this.#settings, nowMs, repairs: held.repairs }
    const settled = await settlePayments(payments, context, outcome, times)
    const repaired = await runRepairs(settled.repairs, context, nowMs)
    for (const updated of repaired.completed) outcome.accept(updated, [])
    outcome.events.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    const next = { pending: settled.pending, repairs: repaired.open }
    return {
      events: outcome.events,
      rejected: outcome.rejected,
      commit: () => this.#commit(outcome.ids, held, next),
    }
  }

  /**
   * When a held payment is next due to be settled, ms since epoch: the moment its newest event is `settle`
   * old, or its failed look-up's hold ends. Undefined when nothing is held.
   */
  nextSettleAt(): number | undefined {
    const pending = this.#held?.pending ?? []
    if (pending.length === 0) return undefined
    const { settleMs, holdMs } = this.#settings
    return Math.min(
      ...pending.map((p) =>
        p.heldSince === undefined ? settleDeadline([p.event], settleMs) : p.heldSince + holdMs,
      ),
    )
  }

  /** Deletes what the enricher persisted (the account was removed for good). */
  async forget(): Promise<void> {
    this.#held = { pending: [], repairs: [] }
    await this.#emitted.clear()
    await deletePending(this.#settings.store, this.#settings.ref)
  }

  async #singles(
    batch: readonly Stripe.Event[],
    context: EnrichContext,
    outcome: BatchOutcome,
  ): Promise<void> {
    for (const event of batch) {
      const builder = SINGLE_BUILDERS[event.type]
      if (!builder || outcome.has(`evt:${event.id}`)) continue
      try {
        outcome.accept(await builder(event, batch, context), [event])
      } catch (error) {
        outcome.reject([event], describeFailure(error))
      }
    }
  }

  async #commit(
    ids: ReadonlySet<string>,
    before: { readonly pending: readonly PendingEvent[]; readonly repairs: readonly Repair[] },
    after: { readonly pending: PendingEvent[]; readonly repairs: Repair[] },
  ): Promise<void> {
    this.#emitted.add(ids)
    await this.#emitted.flush()
    this.#held = after
    if (!sameHeld(before, after)) await savePending(this.#settings.store, this.#settings.ref, after)
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

/** Whether nothing held changed: then nothing is written. */
function sameHeld(
  a: { readonly pending: readonly PendingEvent[]; readonly repairs: readonly Repair[] },
  b: { readonly pending: readonly PendingEvent[]; readonly repairs: readonly Repair[] },
): boolean {
  const pendingKey = (p: PendingEvent): string => `${p.event.id}:${p.heldSince ?? ''}`
  return (
    a.pending.length === b.pending.length &&
    a.pending.every((p, i) => pendingKey(p) === pendingKey(b.pending[i] as PendingEvent)) &&
    a.repairs.length === b.repairs.length &&
    a.repairs.every((r, i) => r.saleId === b.repairs[i]?.saleId)
  )
}
