/**
 * Payment events become sales once their payment is complete or has settled: exactly one sale per
 * payment, held back while a look-up it needs fails for a reason that passes.
 */
import type { EnrichContext } from './context.js'
import type { PendingEvent } from './enrich-state.js'
import { invoiceLinks } from './invoice-links.js'
import type { BatchOutcome } from './outcome.js'
import { groupPayments, isComplete, isPaid } from './payment-groups.js'
import { absorb, type Repair } from './repairs.js'
import { buildSale } from './sale.js'

/** How long sales wait for what they miss. */
export interface SettleTimes {
  /** How old, ms, a payment's newest event must be before it is emitted without all its events. */
  readonly settleMs: number
  /** How long a sale whose look-up failed for a passing reason waits before it goes out incomplete, ms. */
  readonly holdMs: number
  /** How long a sale that went out incomplete keeps being completed, ms. */
  readonly repairForMs: number
}

/** What settling left for later. */
export interface Settled {
  /** Payment events still held. */
  readonly pending: PendingEvent[]
  /** Sales that went out incomplete and are to be completed. */
  readonly repairs: Repair[]
}

/**
 * Builds the sales whose payments are complete or settled, into `outcome`; returns what is still held.
 * Later events of a sale that went out incomplete join its repair (`repairs`), to complete it.
 */
export async function settlePayments(
  payments: readonly PendingEvent[],
  context: EnrichContext,
  outcome: BatchOutcome,
  times: SettleTimes & { readonly nowMs: number; readonly repairs: readonly Repair[] },
): Promise<Settled> {
  const byEvent = new Map(payments.map((p) => [p.event, p]))
  const links = await invoiceLinks([...byEvent.keys()], context.lookups)
  let repairs = [...times.repairs]
  const settled: Settled = { pending: [], repairs: [] }
  for (const group of groupPayments([...byEvent.keys()], links)) {
    const held = group.events.map((event) => byEvent.get(event) ?? { event, backfill: context.backfill })
    const ids = [...group.ids].map((id) => `pay:${id}`)
    if (ids.some((id) => outcome.has(id))) {
      for (const id of ids) outcome.ids.add(id)
      repairs = repairs.map((repair) => absorb(repair, group.ids, group.events))
      continue
    }
    const old = settleDeadline(group.events, times.settleMs) <= times.nowMs
    if (!isPaid(group) || !(old || isComplete(group))) {
      if (!old) settled.pending.push(...held)
      continue
    }
    const backfill = held.every((p) => p.backfill)
    try {
      const transient = new Set<string>()
      const sale = await buildSale(group, { ...context, backfill, transient })
      if (!sale) continue
      if (transient.size > 0) {
        const since = Math.min(...held.map((p) => p.heldSince ?? times.nowMs))
        if (times.nowMs - since < times.holdMs) {
          settled.pending.push(...held.map((p) => ({ ...p, heldSince: since })))
          continue
        }
        settled.repairs.push({
          saleId: sale.id,
          paymentIds: [...group.ids],
          events: group.events,
          backfill,
          missing: [...transient],
          until: times.nowMs + times.repairForMs,
        })
      }
      for (const id of ids) outcome.ids.add(id)
      outcome.accept(sale, group.events)
    } catch (error) {
      for (const id of ids) outcome.ids.add(id)
      outcome.reject(
        group.events,
        `enrichment failed: ${error instanceof Error ? error.message : String(error)}`,
      )
    }
  }
  return { pending: settled.pending, repairs: [...repairs, ...settled.repairs] }
}

/** When a payment whose newest event is among `events` is emitted without the events it still misses, ms. */
export function settleDeadline(events: readonly { readonly created: number }[], settleMs: number): number {
  return Math.max(...events.map((e) => e.created)) * 1000 + settleMs
}
