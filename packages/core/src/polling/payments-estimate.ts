/**
 * How many payments an account made in the last 30 days, read once when CashNotify first watches it:
 * Stripe's read allocation grows with them (500 reads each), so knowing them at once lets a busy shop
 * poll at its pace from the first day instead of the floor's. It costs a page of events per hundred
 * payments, and stops once there are `enough` of them: beyond that the count changes no pace.
 */
import type Stripe from 'stripe'
import type { StripeGateway } from '../stripe/client.js'
import { READ_WINDOW_MS, type ReadLedger } from '../stripe/read-ledger.js'

/** Pages read at most, whatever `enough` says: 10,000 payments allow 5 million reads a month. */
const MAX_PAGES = 100

/**
 * Counts the account's `charge.succeeded` events of the 30 days before `until` (ms) into the ledger, at
 * their hours, so they leave the window when Stripe's count forgets them too; stops at `enough`.
 */
export async function estimatePayments(
  gateway: StripeGateway,
  ledger: ReadLedger,
  range: { readonly until: number; readonly enough: number },
  signal?: AbortSignal,
): Promise<number> {
  const { until, enough } = range
  const created = { gte: Math.floor((until - READ_WINDOW_MS) / 1000), lt: Math.floor(until / 1000) }
  let counted = 0
  let startingAfter: string | undefined
  for (let page = 0; page < MAX_PAGES && counted < enough; page++) {
    const params: Stripe.EventListParams = {
      type: 'charge.succeeded',
      created,
      limit: 100,
      ...(startingAfter ? { starting_after: startingAfter } : {}),
    }
    const list = await gateway.call('GET /v1/events', (stripe, auth) => stripe.events.list(params, auth), {
      kind: 'metadata',
      ...(signal ? { signal } : {}),
    })
    for (const event of list.data) ledger.recordPayments(1, event.created * 1000)
    counted += list.data.length
    startingAfter = list.data.at(-1)?.id
    if (!list.has_more || !startingAfter) break
  }
  return counted
}
