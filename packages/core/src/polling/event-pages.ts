import type Stripe from 'stripe'
import type { StripeGateway } from '../stripe/client.js'

/** Stripe's largest page. */
export const PAGE_LIMIT = 100

const ENDPOINT = 'GET /v1/events'

/** Newest-first pages held in memory before switching to a forward walk (memory stays bounded). */
const MAX_BUFFERED_PAGES = 20

function withSignal(signal: AbortSignal | undefined): { signal?: AbortSignal } {
  return signal ? { signal } : {}
}

function oldestFirst(page: readonly Stripe.Event[]): Stripe.Event[] {
  // Stripe lists newest first; within one second its order is arbitrary, so reversing it is as good as any.
  return [...page].reverse()
}

/**
 * Every event created at or after `floor` (unix s), as batches that are each oldest first and come in
 * chronological order, so the caller can emit and persist batch by batch.
 *
 * Steady state costs one request: everything since the floor fits one page. A longer catch-up walks
 * back with `starting_after` to the oldest page; when that is more than {@link MAX_BUFFERED_PAGES}, it
 * keeps only the oldest page and walks forward again with `ending_before`, so memory stays bounded.
 */
export async function* eventsSince(
  gateway: StripeGateway,
  floor: number,
  signal?: AbortSignal,
): AsyncGenerator<Stripe.Event[]> {
  const list = (params: Stripe.EventListParams): Promise<Stripe.ApiList<Stripe.Event>> =>
    gateway.call(ENDPOINT, (stripe, auth) => stripe.events.list({ limit: PAGE_LIMIT, ...params }, auth), {
      kind: 'poll',
      ...withSignal(signal),
    })

  let page = await list({ created: { gte: floor } })
  const pages: Stripe.Event[][] = [page.data]
  let overflowed = false
  while (page.has_more) {
    const last = page.data.at(-1)
    if (!last) break
    page = await list({ created: { gte: floor }, starting_after: last.id })
    if (pages.length >= MAX_BUFFERED_PAGES) {
      overflowed = true
      pages.length = 0
    }
    pages.push(page.data)
  }
  // `pages` runs newest to oldest: emit it from the end.
  for (let i = pages.length - 1; i >= 0; i--) {
    const batch = oldestFirst(pages[i] ?? [])
    if (batch.length > 0) yield batch
  }
  if (!overflowed) return

  // Only the oldest pages were held and emitted: walk forward from the newest of them to the present.
  let anchor = pages[0]?.[0]
  while (anchor) {
    const forward = await list({ ending_before: anchor.id })
    if (forward.data.length > 0) yield oldestFirst(forward.data)
    anchor = forward.has_more ? forward.data[0] : undefined
  }
}

/** The account's most recent events created in a range, oldest first: the backfill of a new account. */
export async function latestEvents(
  gateway: StripeGateway,
  count: number,
  created: Stripe.RangeQueryParam,
  signal?: AbortSignal,
): Promise<Stripe.Event[]> {
  const page = await gateway.call(
    ENDPOINT,
    (stripe, auth) => stripe.events.list({ limit: count, created }, auth),
    { kind: 'poll', ...withSignal(signal) },
  )
  return oldestFirst(page.data)
}
