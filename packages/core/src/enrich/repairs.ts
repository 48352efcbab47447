/**
 * Sales that went out incomplete because a look-up failed for a passing reason: each is built again at
 * every batch until nothing is missing for such a reason, then announced once as `sale.updated`.
 */
import type Stripe from 'stripe'
import type { EnrichContext } from './context.js'
import type { SaleEvent, SaleUpdatedEvent } from './domain-events.js'
import { invoiceLinks } from './invoice-links.js'
import { groupPayments } from './payment-groups.js'
import { buildSale } from './sale.js'

/** A sale to complete, persisted with the account's held payment events. */
export interface Repair {
  /** The id of the sale that went out incomplete. */
  readonly saleId: string
  /** The ids of its payment (`pi_…`, `ch_…`, `in_…`…), to recognise its later events by. */
  readonly paymentIds: readonly string[]
  /** The Stripe events it was made of, and those of its payment that came after. */
  readonly events: readonly Stripe.Event[]
  /** Whether they were backfill. */
  readonly backfill: boolean
  /** The fields missing for a reason that passes. */
  readonly missing: readonly string[]
  /** When to give up, ms since epoch. */
  readonly until: number
}

/** The sale built from `events` again, and the fields still missing for a passing reason. */
async function rebuild(
  repair: Repair,
  context: EnrichContext,
): Promise<{ sale: SaleEvent | undefined; transient: Set<string> }> {
  const transient = new Set<string>()
  const links = await invoiceLinks(repair.events, context.lookups)
  const [group] = groupPayments(repair.events, links)
  const sale = group
    ? await buildSale(group, { ...context, backfill: repair.backfill, transient })
    : undefined
  return { sale, transient }
}

/** The repair with the later events of its payment, when these events are of its payment. */
export function absorb(
  repair: Repair,
  paymentIds: ReadonlySet<string>,
  events: readonly Stripe.Event[],
): Repair {
  if (!repair.paymentIds.some((id) => paymentIds.has(id))) return repair
  const known = new Set(repair.events.map((event) => event.id))
  const later = events.filter((event) => !known.has(event.id))
  if (later.length === 0) return repair
  return {
    ...repair,
    events: [...repair.events, ...later],
    paymentIds: [...new Set([...repair.paymentIds, ...paymentIds])],
  }
}

/** The completed sale as the event that announces it. */
export function saleUpdated(sale: SaleEvent, repair: Repair): SaleUpdatedEvent {
  const key = sale.id.replace(/^sale:/, '')
  return {
    ...sale,
    id: `sale.updated:${key}`,
    type: 'sale.updated',
    saleId: sale.id,
    completed: repair.missing.filter((field) => !(field in sale.unavailable)),
  }
}

/**
 * Tries each repair once more: returns the sales now complete, and the repairs still open (those past
 * their time, or whose events no longer make a sale, are dropped).
 */
export async function runRepairs(
  repairs: readonly Repair[],
  context: EnrichContext,
  nowMs: number,
): Promise<{ completed: SaleUpdatedEvent[]; open: Repair[] }> {
  const completed: SaleUpdatedEvent[] = []
  const open: Repair[] = []
  for (const repair of repairs) {
    if (repair.until <= nowMs) continue
    try {
      const { sale, transient } = await rebuild(repair, context)
      if (!sale) continue
      if (transient.size === 0) completed.push(saleUpdated(sale, repair))
      else open.push(repair)
    } catch {
      // A sale that can no longer be built is not retried: it went out once, as it was.
    }
  }
  return { completed, open }
}
