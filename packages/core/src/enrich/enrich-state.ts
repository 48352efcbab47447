import type Stripe from 'stripe'
import { ExpiringIds } from '../shared/expiring-ids.js'
import { type KeyValueStore, RETENTION, STORE_KEYS } from '../shared/store.js'
import type { Repair } from './repairs.js'

/** A payment event waiting for the rest of its payment, or for a look-up to succeed. */
export interface PendingEvent {
  readonly event: Stripe.Event
  readonly backfill: boolean
  /** Since when its sale waits for a look-up that failed for a passing reason, ms since epoch. */
  readonly heldSince?: number
}

/** What an account holds back, persisted beside the poll state. */
export interface PendingState {
  readonly v: 2
  /** Payment events held until their payment settles. */
  readonly pending: readonly PendingEvent[]
  /** Sales that went out incomplete, to be completed. */
  readonly repairs: readonly Repair[]
}

/** Emitted ids are kept in daily buckets: a write rewrites at most a day's ids, never the 35 days. */
const EMITTED_BUCKET_MS = 24 * 3_600_000

/**
 * The domain event ids and payment ids (`pay:pi_…`) an account emitted, kept 35 days (Stripe keeps
 * events 30: after 35, an id cannot come back).
 */
export function emittedIds(store: KeyValueStore, ref: string, now: () => number): ExpiringIds {
  return new ExpiringIds(store, {
    key: STORE_KEYS.emitted(ref),
    retentionMs: RETENTION.emittedIdsMs,
    bucketMs: EMITTED_BUCKET_MS,
    now,
  })
}

/** Reads what an account holds back (a version-1 state keeps its pending events). */
export async function loadPending(
  store: KeyValueStore,
  ref: string,
): Promise<Pick<PendingState, 'pending' | 'repairs'>> {
  const value = (await store.get(STORE_KEYS.enrich(ref))) as Partial<PendingState> | undefined
  return {
    pending: Array.isArray(value?.pending) ? [...value.pending] : [],
    repairs: Array.isArray(value?.repairs) ? [...value.repairs] : [],
  }
}

/** Writes what an account holds back. */
export async function savePending(
  store: KeyValueStore,
  ref: string,
  held: Pick<PendingState, 'pending' | 'repairs'>,
): Promise<void> {
  await store.set(STORE_KEYS.enrich(ref), { v: 2, ...held } satisfies PendingState)
}

/** Deletes an account's held payment events. */
export async function deletePending(store: KeyValueStore, ref: string): Promise<void> {
  await store.delete(STORE_KEYS.enrich(ref))
}
