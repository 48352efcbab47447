import type Stripe from 'stripe'
import type { KeyValueStore } from '../shared/store.js'
import type { EnrichContext } from './context.js'
import { buildDispute } from './dispute.js'
import type { DomainEvent, EventAccount } from './domain-events.js'
import {
  type EnrichState,
  FORGET_AFTER_SECONDS,
  loadEnrichState,
  type PendingEvent,
  saveEnrichState,
} from './enrich-state.js'
import { idOf, invoicePaymentIntentId, type Json, num, obj, str } from './fields.js'
import type { StripeLookups } from './lookups.js'
import { buildPaymentFailed } from './payment-failed.js'
import { groupPayments, isComplete, isPaid, PAYMENT_EVENT_TYPES } from './payment-groups.js'
import { buildPayout } from './payout.js'
import { buildRefund } from './refund.js'
import { buildSale } from './sale.js'
import { buildSubscriptionEvent } from './subscription.js'

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

/** The result of one batch: domain events to emit, and the write that records them once emitted. */
export interface EnrichResult {
  /** New domain events, oldest first. */
  readonly events: DomainEvent[]
  /** Persists that they were emitted: call it after emitting and handing them to delivery. */
  commit(): Promise<void>
}

type Builder = (
  event: Stripe.Event,
  batch: readonly Stripe.Event[],
  context: EnrichContext,
) => Promise<DomainEvent | undefined>

/** Builders of the domain events that come from one Stripe event. */
const SINGLE: Readonly<Record<string, Builder>> = {
  'charge.refunded': buildRefund,
  'payment_intent.payment_failed': buildPaymentFailed,
  'charge.failed': buildPaymentFailed,
  'charge.dispute.created': async (event, _batch, context) => buildDispute(event, context),
  'charge.dispute.closed': async (event, _batch, context) => buildDispute(event, context),
  'customer.subscription.created': async (event, _batch, context) => buildSubscriptionEvent(event, context),
  'customer.subscription.updated': async (event, _batch, context) => buildSubscriptionEvent(event, context),
  'customer.subscription.deleted': async (event, _batch, context) => buildSubscriptionEvent(event, context),
  'customer.subscription.trial_will_end': async (event, _batch, context) =>
    buildSubscriptionEvent(event, context),
  'payout.paid': async (event, _batch, context) => buildPayout(event, context),
  'payout.failed': async (event, _batch, context) => buildPayout(event, context),
}

/**
 * Turns one account's raw Stripe events into domain events: exactly one `sale` per payment, whichever of
 * its events arrive, in whatever order, in one poll or several, before or after a restart.
 */
export class Enricher {
  readonly #settings: EnricherSettings
  #state: EnrichState | undefined

  constructor(settings: EnricherSettings) {
    this.#settings = settings
  }

  /** Enriches a batch of new events (oldest first); also settles payments held from earlier batches. */
  async process(batch: readonly Stripe.Event[], backfill: boolean): Promise<EnrichResult> {
    this.#state ??= await loadEnrichState(this.#settings.store, this.#settings.ref)
    const state = this.#state
    const nowSeconds = Math.floor(this.#settings.now() / 1000)
    const emitted = new Map(state.emitted)
    const forgetAt = nowSeconds + FORGET_AFTER_SECONDS
    const context: EnrichContext = {
      account: this.#settings.account(),
      lookups: this.#settings.lookups,
      backfill,
    }
    for (const event of batch) this.#remember(event)

    const out: DomainEvent[] = []
    const record = (event: DomainEvent | undefined): void => {
      if (!event || emitted.has(event.id)) return
      emitted.set(event.id, forgetAt)
      out.push(event)
    }
    for (const event of batch) {
      const builder = SINGLE[event.type]
      if (builder) record(await builder(event, batch, context))
    }

    const payments = [
      ...state.pending,
      ...batch.filter((e) => PAYMENT_EVENT_TYPES.has(e.type)).map((event) => ({ event, backfill })),
    ]
    const byEvent = new Map(payments.map((p) => [p.event, p]))
    const links = await this.#invoiceLinks([...byEvent.keys()])
    const pending: PendingEvent[] = []
    for (const group of groupPayments([...byEvent.keys()], links)) {
      const held = group.events.map((event) => byEvent.get(event) ?? { event, backfill })
      const ids = [...group.ids].map((id) => `pay:${id}`)
      if (ids.some((id) => emitted.has(id))) {
        for (const id of ids) emitted.set(id, forgetAt)
        continue
      }
      const settled =
        Math.max(...group.events.map((e) => e.created)) <= nowSeconds - this.#settings.settleSeconds
      if (!isPaid(group) || !(settled || isComplete(group))) {
        if (!settled) pending.push(...held)
        continue
      }
      const sale = await buildSale(group, { ...context, backfill: held.every((p) => p.backfill) })
      if (!sale) continue
      for (const id of ids) emitted.set(id, forgetAt)
      record(sale)
    }
    out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime())
    const next: EnrichState = { v: 1, emitted: [...emitted], pending }
    return {
      events: out,
      commit: async () => {
        this.#state = next
        await saveEnrichState(this.#settings.store, this.#settings.ref, next, nowSeconds)
      },
    }
  }

  /** Objects inside events are remembered, so enrichment need not read them again. */
  #remember(event: Stripe.Event): void {
    const object = obj(event.data.object)
    if (!object) return
    this.#settings.lookups.remember(object)
    const customer = obj(object.customer)
    if (customer) this.#settings.lookups.remember(customer)
  }

  /**
   * Since 2025-03-31 an invoice no longer names the payment intent that paid it, and events never carry
   * its `payments`. An `invoice_payment.paid` event links them; without one, one read does.
   */
  async #invoiceLinks(events: readonly Stripe.Event[]): Promise<Map<string, string>> {
    const links = new Map<string, string>()
    const linkedByEvent = new Set(
      events.filter((e) => e.type === 'invoice_payment.paid').map((e) => idOf(obj(e.data.object)?.invoice)),
    )
    const invoices = events.map((e) => obj(e.data.object)).filter((o): o is Json => o?.object === 'invoice')
    for (const invoice of invoices) {
      const id = str(invoice.id)
      if (!id || linkedByEvent.has(id) || invoicePaymentIntentId(invoice) || links.has(id)) continue
      if ((num(invoice.amount_paid) ?? 0) <= 0 || 'payment_intent' in invoice) continue
      const found = await this.#settings.lookups.invoicePaymentIntent(id)
      if (found.ok && found.value) links.set(id, found.value)
    }
    return links
  }
}
