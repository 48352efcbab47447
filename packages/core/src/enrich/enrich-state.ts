import type Stripe from 'stripe'
import { ExpiringIds } from '../shared/expiring-ids.js'
import { type KeyValueStore, RETENTION, STORE_KEYS } from '../shared/store.js'

/** A payment event waiting for the rest of its payment. */
export interface PendingEvent {
  readonly event: Stripe.Event
  readonly backfill: boolean
}

/** The payment events an account holds until their payment settles, persisted beside the poll state. */
export interface PendingState {
  readonly v: 2
  /** Payment events held until their payment settles. */
  readonly pending: readonly PendingEvent[]
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

/** Reads an account's held payment events (a version-1 state keeps its pending events). */
export async function loadPending(store: KeyValueStore, ref: string): Promise<PendingEvent[]> {
  const value = (await store.get(STORE_KEYS.enrich(ref))) as Partial<PendingState> | undefined
  return Array.isArray(value?.pending) ? [...value.pending] : []
}

/** Writes an account's held payment events. */
export async function savePending(
  store: KeyValueStore,
  ref: string,
  pending: readonly PendingEvent[],
): Promise<void> {
  await store.set(STORE_KEYS.enrich(ref), { v: 2, pending } satisfies PendingState)
}

/** Deletes an account's held payment events. */
export async function deletePending(store: KeyValueStore, ref: string): Promise<void> {
  await store.delete(STORE_KEYS.enrich(ref))
}
