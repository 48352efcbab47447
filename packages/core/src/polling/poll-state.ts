import { type KeyValueStore, RETENTION, STORE_KEYS } from '../shared/store.js'

/**
 * What one account's loop persists to resume exactly where it stopped. There is no event-id cursor:
 * Stripe's ids are not ordered, so the cursor is the start time of the last completed poll, and the ids
 * seen since shortly before it absorb every re-read.
 */
export interface PollState {
  /** Format version, so a future format can migrate. */
  readonly v: 2
  /**
   * When the account was first added, ms since epoch: what Stripe created before this second is history
   * (the backfill, or nothing), what it created from this second on is new. Written when the account is
   * added, so no failure before the first poll can turn new events into history.
   */
  readonly since: number
  /** Whether the backfill (the last events from before `since`) was emitted. */
  readonly backfilled: boolean
  /** When the last completed poll started, ms since epoch on CashNotify's clock (`since` before the first). */
  readonly polledAt: number
  /** Ids of events already handled whose `created` (unix s) is still inside the overlap window. */
  readonly seen: ReadonlyArray<readonly [id: string, created: number]>
}

const storeKey = STORE_KEYS.poll

/** The state of version 1, before `since` was persisted. */
interface PollStateV1 {
  readonly v: 1
  readonly polledAt: number
  readonly seen: ReadonlyArray<readonly [string, number]>
}

function migrate(value: unknown): PollState | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const state = value as Partial<PollState> | Partial<PollStateV1>
  if (typeof state.polledAt !== 'number' || !Array.isArray(state.seen)) return undefined
  if (state.v === 2 && typeof state.since === 'number' && typeof state.backfilled === 'boolean')
    return state as PollState
  // A version-1 account had its backfill: everything after its cursor is new.
  if (state.v === 1) return { v: 2, since: 0, backfilled: true, polledAt: state.polledAt, seen: state.seen }
  return undefined
}

/** Reads an account's state; `undefined` for an account never added. */
export async function loadPollState(store: KeyValueStore, ref: string): Promise<PollState | undefined> {
  return migrate(await store.get(storeKey(ref)))
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
 * and never older than Stripe's retention and a day.
 */
export function pruneSeen(
  seen: Iterable<readonly [string, number]>,
  floorSeconds: number,
  nowMs: number,
): Array<readonly [string, number]> {
  const oldest = Math.max(floorSeconds, Math.floor((nowMs - RETENTION.seenIdsMs) / 1000))
  return [...seen].filter(([, created]) => created >= oldest)
}
