/**
 * The store contract and everything CashNotify keeps in it: one registry of keys, so that two stages
 * can never write under the same name, and the retention times side by side.
 */

/** The part of a Keyv store CashNotify uses; pass a `Keyv` instance. */
export interface KeyValueStore {
  /** Reads a value. */
  get(key: string): Promise<unknown>
  /** Writes a value, with an optional time to live in ms. */
  set(key: string, value: unknown, ttl?: number): Promise<unknown>
  /** Deletes a value. */
  delete(key: string): Promise<unknown>
  /** Deletes several values at once (Keyv's: one transaction in SQLite, one command in Redis). */
  deleteMany?(keys: string[]): Promise<unknown>
}

/** Deletes the keys with one `deleteMany` when the store has it, else one `delete` each. */
export async function deleteKeys(store: KeyValueStore, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return
  if (store.deleteMany) await store.deleteMany([...keys])
  else await Promise.all(keys.map((key) => store.delete(key)))
}

const DAY_MS = 24 * 3600 * 1000

/** How long things are kept, and why those lengths. */
export const RETENTION = {
  /** Stripe keeps events this long: a cursor older than this has a gap behind it. */
  stripeEventsMs: 30 * DAY_MS,
  /** A seen event id is kept one day beyond Stripe's retention: after that it can never be read again. */
  seenIdsMs: 31 * DAY_MS,
  /** An emitted domain event id or payment id is kept 35 days: its Stripe events are gone by then. */
  emittedIdsMs: 35 * DAY_MS,
  /** A handled event id of an account with webhooks is kept 4 days: Stripe retries a delivery for up to 3. */
  pushedIdsMs: 4 * DAY_MS,
  /** A delivered marker is kept 7 days: re-read events are far younger than that. */
  deliveredMarkerMs: 7 * DAY_MS,
  /** A customer seen paying is known 400 days: who comes back within a year (and a bit) is "returning". */
  digestKnownMs: 400 * DAY_MS,
} as const

/**
 * Every key CashNotify writes, by the stage that owns it. An account's keys end with its ref
 * (`acct_…/live`); delivery's with the entry id (`<notifier>:<notification id>`).
 */
export const STORE_KEYS = {
  /** Polling: an account's cursor and seen ids. */
  poll: (ref: string): string => `cashnotify:poll:${ref}`,
  /** Enrichment: an account's held payment events. */
  enrich: (ref: string): string => `cashnotify:enrich:${ref}`,
  /** Enrichment: the domain events and payments an account emitted (the index of an `ExpiringIds`). */
  emitted: (ref: string): string => `cashnotify:enrich:${ref}:emitted`,
  /** Polling: the events Stripe pushed to an account and its pipeline has not handled yet. */
  pushInbox: (ref: string): string => `cashnotify:push:${ref}:inbox`,
  /** Polling: the events an account with webhooks handled, pushed or polled (the index of an `ExpiringIds`). */
  pushHandled: (ref: string): string => `cashnotify:push:${ref}:handled`,
  /** Stripe: an account's reads by hour and kind over 30 days, and the payments it saw. */
  reads: (ref: string): string => `cashnotify:reads:${ref}`,
  /** Delivery: the one index of every outbox entry and dead letter. */
  deliveryIndex: 'cashnotify:delivery:index',
  /** Delivery: one notification on its way to one notifier (or a dead letter). */
  deliveryEntry: (id: string): string => `cashnotify:delivery:entry:${id}`,
  /** Delivery: the notifications that reached their notifier (the index of an `ExpiringIds`). */
  deliverySent: 'cashnotify:delivery:sent',
  /** Digests: the days an account has records of, in one time zone. */
  digestDays: (ref: string, timeZone: string): string => `cashnotify:digest:${ref}:${timeZone}`,
  /** Digests: what an account did on one local day of one time zone. */
  digestDay: (ref: string, timeZone: string, day: string): string =>
    `cashnotify:digest:${ref}:${timeZone}:${day}`,
  /** Digests: the customers an account saw paying, and its counted cancellations (an `ExpiringIds`). */
  digestKnown: (ref: string): string => `cashnotify:digest:${ref}:known`,
  /** Digests: the last period a schedule sent, and since when it runs. */
  digestSchedule: (name: string): string => `cashnotify:digest-schedule:${name}`,
} as const
