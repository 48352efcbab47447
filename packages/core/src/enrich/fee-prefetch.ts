import type Stripe from 'stripe'
import { idOf, num, obj } from './fields.js'
import type { StripeLookups } from './lookups.js'

/** The charge events a sale's fee is read from. */
const FEE_EVENTS: ReadonlySet<string> = new Set(['charge.succeeded', 'charge.captured', 'charge.updated'])

/**
 * The balance transactions of a batch's charges, read with one list when there are several (a burst, or
 * a poll that found a few sales): each sale then finds its fee cached instead of reading it. The list
 * spans the charges' creation to the latest event, since a charge captured later gets its balance
 * transaction at capture.
 */
export async function prefetchFees(events: readonly Stripe.Event[], lookups: StripeLookups): Promise<void> {
  const ids = new Set<string>()
  let from = Number.POSITIVE_INFINITY
  let to = Number.NEGATIVE_INFINITY
  for (const event of events) {
    if (!FEE_EVENTS.has(event.type)) continue
    const charge = obj(event.data.object)
    const id = idOf(charge?.balance_transaction)
    const created = num(charge?.created)
    if (!id || created === undefined) continue
    ids.add(id)
    from = Math.min(from, created)
    to = Math.max(to, created, event.created)
  }
  if (ids.size < 2) return
  await lookups.prefetchBalanceTransactions([...ids], { gte: from, lte: to })
}
