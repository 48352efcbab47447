/** Which events a notifier gets. */
import type { Digest } from '../digest/types.js'
import { type DomainEvent, eventAmount } from '../enrich/domain-events.js'
import type { DeliveryFilter } from './types.js'

/** Whether a notifier with this filter gets the event. */
export function matchesFilter(filter: DeliveryFilter, event: DomainEvent): boolean {
  if (event.backfill && filter.backfill !== true) return false
  const mode = filter.mode ?? 'both'
  if (mode !== 'both' && mode !== (event.livemode ? 'live' : 'test')) return false
  if (filter.types && !filter.types.includes(event.type)) return false
  // The completion of a sale that went out incomplete is news only to a notifier that asks for it.
  if (event.type === 'sale.updated' && !filter.types?.includes('sale.updated')) return false
  if (filter.accounts) {
    const ref = `${event.account.id}/${event.account.mode}`
    if (!filter.accounts.some((account) => account === event.account.id || account === ref)) return false
  }
  const amount = eventAmount(event)
  if (!amount || !filter.minAmount) return true
  const min = filter.minAmount[amount.currency.toLowerCase()]
  return min === undefined || amount.amount >= min
}

/**
 * Whether a notifier with this filter gets the digest: `digests` not turned off, the mode matching, and
 * with `accounts`, only the digests of those accounts (never one across all accounts).
 */
export function matchesDigestFilter(filter: DeliveryFilter, digest: Digest): boolean {
  if (filter.digests === false) return false
  const mode = filter.mode ?? 'both'
  if (mode !== 'both' && mode !== (digest.livemode ? 'live' : 'test')) return false
  if (!filter.accounts) return true
  const account = digest.account
  if (digest.scope !== 'account' || !account) return false
  const ref = `${account.id}/${account.mode}`
  return filter.accounts.some((wanted) => wanted === account.id || wanted === ref)
}
