/**
 * An account's read usage from what a store holds, without watching it: `cashnotify accounts` shows a
 * running daemon's reads this way, spending none of the account's allocation.
 */
import { DEFAULTS } from '../shared/defaults.js'
import { type KeyValueStore, STORE_KEYS } from '../shared/store.js'
import { ReadLedger } from '../stripe/read-ledger.js'
import { Pacer, type ReadUsage } from './pacing.js'

/** The pacing options the usage is judged by: those the app watches the account with. */
export interface StoredUsageOptions {
  /** @default 5000 */
  readonly pollInterval?: number
  /** @default 600000 */
  readonly maxPollInterval?: number
  /** @default { share: 0.5 } */
  readonly readAllocation?: { readonly share?: number; readonly monthly?: number }
  /** The clock, ms since epoch. @default Date.now */
  readonly now?: () => number
}

/**
 * The read usage that the store's ledger of `account` (`acct_…/live`) shows, at the resting pace (no
 * activity, no webhooks): `undefined` when the account was never watched with this store.
 */
export async function storedReadUsage(
  store: KeyValueStore,
  account: string,
  options: StoredUsageOptions = {},
): Promise<ReadUsage | undefined> {
  const now = options.now ?? Date.now
  const ledger = new ReadLedger(store, STORE_KEYS.reads(account), now)
  await ledger.load()
  if (ledger.empty) return undefined
  const pacer = new Pacer(
    ledger,
    {
      pollInterval: options.pollInterval ?? DEFAULTS.pollInterval,
      maxPollInterval: options.maxPollInterval ?? DEFAULTS.maxPollInterval,
      share: options.readAllocation?.share ?? DEFAULTS.readAllocation.share,
      monthly: options.readAllocation?.monthly,
      reconcileInterval: DEFAULTS.webhooks.reconcileInterval,
    },
    now,
  )
  return pacer.usage()
}
