import type { Collection, StoredObject } from './collection.js'
import type { StripeApiError } from './errors.js'
import type { ParamReader, RangeFilter } from './params.js'

/** Stripe's list envelope. */
export interface ListEnvelope<T> {
  object: 'list'
  data: T[]
  has_more: boolean
  url: string
}

/** The common list parameters, read and checked. */
export interface ListParams {
  limit: number
  startingAfter?: string
  endingBefore?: string
  created?: RangeFilter
}

/** Reads `limit`, `starting_after`, `ending_before` and `created` the way every list endpoint does. */
export function readListParams(params: ParamReader): ListParams {
  params.exclusive('starting_after', 'ending_before')
  const out: ListParams = { limit: params.integer('limit', { min: 1, max: 100 }) ?? 10 }
  const startingAfter = params.string('starting_after')
  const endingBefore = params.string('ending_before')
  const created = params.range('created')
  if (startingAfter !== undefined) out.startingAfter = startingAfter
  if (endingBefore !== undefined) out.endingBefore = endingBefore
  if (created !== undefined) out.created = created
  return out
}

/** Whether a number falls inside a range filter. */
export function inRange(value: number | undefined, range: RangeFilter | undefined): boolean {
  if (range === undefined) return true
  if (value === undefined) return false
  return (
    (range.gt === undefined || value > range.gt) &&
    (range.gte === undefined || value >= range.gte) &&
    (range.lt === undefined || value < range.lt) &&
    (range.lte === undefined || value <= range.lte)
  )
}

/** How to page one collection. */
export interface PageOptions<T> {
  readonly url: string
  /** Objects the list may show at all (matching filters). */
  readonly matches: (object: T) => boolean
  /** Objects older than this (Unix s) do not exist any more (events' 30-day retention). */
  readonly floor?: number
  /** The error for a cursor that names no (visible) object. */
  readonly missingCursor: (id: string, param: 'starting_after' | 'ending_before') => StripeApiError
}

/**
 * One page, newest first, as Stripe pages: `starting_after` walks to older objects,
 * `ending_before` returns the `limit` objects just newer than the cursor (still newest first).
 * Cursors are positions in the store's order, so a cursor object need not match the filters itself.
 */
export function page<T extends StoredObject>(
  collection: Collection<T>,
  params: ListParams,
  options: PageOptions<T>,
): ListEnvelope<T> {
  const floor = options.floor ?? Number.NEGATIVE_INFINITY
  const cursorIndex = (id: string, param: 'starting_after' | 'ending_before'): number => {
    const index = collection.position(id)
    if (index < 0 || (collection.at(index)?.created ?? floor) < floor) throw options.missingCursor(id, param)
    return index
  }
  const found: T[] = []
  const want = params.limit + 1 // one more than asked tells has_more
  const take = (index: number): boolean => {
    const entry = collection.at(index)
    if (entry === undefined || entry.created < floor) return false
    if (options.matches(entry.value)) found.push(entry.value)
    return found.length < want
  }
  if (params.endingBefore !== undefined) {
    for (let i = cursorIndex(params.endingBefore, 'ending_before') + 1; i < collection.size; i++) {
      if (!take(i)) break
    }
    const hasMore = found.length > params.limit
    return {
      object: 'list',
      data: found.slice(0, params.limit).reverse(),
      has_more: hasMore,
      url: options.url,
    }
  }
  const start =
    params.startingAfter === undefined ? collection.size : cursorIndex(params.startingAfter, 'starting_after')
  for (let i = start - 1; i >= 0; i--) {
    // Ascending storage: once below the floor, everything further is older still.
    if ((collection.at(i)?.created ?? floor) < floor) break
    if (!take(i)) break
  }
  const hasMore = found.length > params.limit
  return { object: 'list', data: found.slice(0, params.limit), has_more: hasMore, url: options.url }
}
