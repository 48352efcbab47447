import { type KeyValueStore, RETENTION, STORE_KEYS } from '../shared/store.js'

/**
 * What one account's loop persists to resume exactly where it stopped. There is no event-id cursor:
 * Stripe's ids are not ordered, so the cursor is the start time of the last completed poll, and the ids
 * seen since shortly before it absorb every re-read.
 */
export interface PollState {
  /** Format version, so a future format can migrate. */
  readonly v: 1
  /** When the last completed poll (or the backfill) started, ms since epoch on CashNotify's clock. */
  readonly polledAt: number
  /** Ids of events already emitted whose `created` (unix s) is still inside the overlap window. */
  readonly seen: ReadonlyArray<readonly [id: string, created: number]>
}

const storeKey = STORE_KEYS.poll

function isPollState(value: unknown): value is PollState {
  if (typeof value !== 'object' || value === null) return false
  const state = value as Partial<PollState>
  return state.v === 1 && typeof state.polledAt === 'number' && Array.isArray(state.seen)
}

/** Reads an account's state; `undefined` for an account never polled (it gets a backfill). */
export async function loadPollState(store: KeyValueStore, ref: string): Promise<PollState | undefined> {
  const value = await store.get(storeKey(ref))
  return isPollState(value) ? value : undefined
}

/** Writes an account's state. */
export async function savePollState(store: KeyValueStore, ref: string, state: PollState): Promise<void> {
  await store.set(storeKey(ref), state)
}

/** Forgets an account's state (it was removed for good). */
export async function deletePollState(store: KeyValueStore, ref: string): Promise<void> {
  await store.delete(storeKey(ref))
}

/**
 * The ids worth keeping: those a later poll can still re-read (created at or after `floorSeconds`),
 * and never older than 31 days.
 */
export function pruneSeen(
  seen: Iterable<readonly [string, number]>,
  floorSeconds: number,
  nowMs: number,
): Array<readonly [string, number]> {
  const oldest = Math.max(floorSeconds, Math.floor((nowMs - RETENTION.seenIdsMs) / 1000))
  return [...seen].filter(([, created]) => created >= oldest)
}
