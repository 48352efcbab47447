/**
 * Everything delivery persists, through the user's Keyv store. Keyv cannot list keys, so one index key
 * names every outbox entry and dead letter, and each lives under its own key:
 *
 * - `cashnotify:delivery:index` → `{ v: 1, outbox: [id…], dead: [id…] }`
 * - `cashnotify:delivery:entry:<notifier>:<notification id>` → the notification, attempts, last error
 * - `cashnotify:delivery:sent` and its hourly buckets → what was delivered, kept 7 days (`ExpiringIds`)
 *
 * Both kinds share one index key so that moving an entry to the dead letters (or back, on replay) is a
 * single write: with two keys a crash between them would leave it in both or in neither. The writes of
 * each step are ordered so that a crash at any point loses nothing accepted (see each method); the worst
 * a crash does is one repeat send, or a small record left behind.
 *
 * Deliveries are recorded in batches ({@link SETTLE_BATCH} or {@link SETTLE_MS}, whichever comes first):
 * recorded one by one, each rewrote a segment of up to 256 markers, the largest write of a delivery.
 */

import { ExpiringIds } from '../shared/expiring-ids.js'
import type { Logger } from '../shared/logger.js'
import { deleteKeys, type KeyValueStore, RETENTION, STORE_KEYS } from '../shared/store.js'
import { type Entry, isRecord, toEntry, toRecord } from './entry.js'
import type { DeadLetterError } from './types.js'

const INDEX_KEY = STORE_KEYS.deliveryIndex

/** Deliveries between two rewrites of the index at least (see `delivered`). */
const INDEX_REWRITE_EVERY = 50
const entryKey = STORE_KEYS.deliveryEntry
/** Delivered markers are kept in hourly buckets: a delivery rewrites at most an hour's markers. */
const SENT_BUCKET_MS = 3_600_000
/** Deliveries recorded in one batch at most. */
export const SETTLE_BATCH = 64
/** How long a delivery waits at most to be recorded, ms: a crash within it repeats the send after a restart. */
export const SETTLE_MS = 100

const ignore = (): void => {}

/** The persisted state of delivery, with the index mirrored in memory. */
export class DeliveryStore {
  readonly #store: KeyValueStore
  readonly #logger: Logger
  readonly #maxDead: number
  // Sets keep insertion order: the index lists entries oldest first.
  #outbox = new Set<string>()
  #dead = new Set<string>()
  #loading: Promise<void> | undefined
  #lastWrite: Promise<void> = Promise.resolve()
  #queuedWrite: Promise<void> | undefined
  #staleDeliveries = 0
  readonly #writes = new Set<Promise<unknown>>()
  /** What was delivered in the last 7 days, by entry id. */
  readonly #sent: ExpiringIds
  #sentFlush: Promise<void> = Promise.resolve()
  #sentQueued: Promise<void> | undefined
  /** Delivered entries whose marker and record deletion are not persisted yet. */
  #unsettled: string[] = []
  #settleTimer: ReturnType<typeof setTimeout> | undefined
  readonly #onError: (what: string, error: unknown) => void

  constructor(
    store: KeyValueStore,
    options: {
      readonly logger: Logger
      readonly maxDeadLetters: number
      readonly now: () => number
      /** A background write failed (recording deliveries): what it was, and why. */
      readonly onError: (what: string, error: unknown) => void
    },
  ) {
    const { logger, maxDeadLetters, now, onError } = options
    this.#store = store
    this.#logger = logger
    this.#onError = onError
    this.#maxDead = maxDeadLetters
    this.#sent = new ExpiringIds(store, {
      key: STORE_KEYS.deliverySent,
      retentionMs: RETENTION.deliveredMarkerMs,
      bucketMs: SENT_BUCKET_MS,
      now,
    })
  }

  /** Reads the index once; ids whose record was never written (a crash mid-accept) are dropped. */
  load(): Promise<void> {
    this.#loading ??= this.#load().catch((error: unknown) => {
      this.#loading = undefined // a store that was down may be back at the next call
      throw error
    })
    return this.#loading
  }

  async #load(): Promise<void> {
    await this.#sent.load()
    const index = (await this.#store.get(INDEX_KEY)) as { outbox?: unknown; dead?: unknown } | undefined
    const ids = (list: unknown): string[] =>
      Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : []
    const outbox = ids(index?.outbox)
    const dead = ids(index?.dead)
    const all = [...outbox, ...dead]
    const records = await Promise.all(all.map((id) => this.#store.get(entryKey(id))))
    const missing = new Set(all.filter((_, i) => !isRecord(records[i])))
    this.#outbox = new Set(outbox.filter((id) => !missing.has(id)))
    this.#dead = new Set(dead.filter((id) => !missing.has(id)))
    if (missing.size > 0) {
      this.#logger.debug(`Dropped ${missing.size} delivery index entries without a record.`)
      await this.#persistIndex()
    }
  }

  /** Where an entry is: waiting in the outbox, a dead letter, or unknown. */
  state(id: string): 'outbox' | 'dead' | undefined {
    if (this.#outbox.has(id)) return 'outbox'
    return this.#dead.has(id) ? 'dead' : undefined
  }

  /** Ids in the outbox, oldest first, optionally of one notifier only. */
  outboxIds(notifier?: string): string[] {
    const ids = [...this.#outbox]
    return notifier === undefined ? ids : ids.filter((id) => id.startsWith(`${notifier}:`))
  }

  /** Ids of the dead letters, oldest first. */
  deadIds(): string[] {
    return [...this.#dead]
  }

  /** Whether the notification was delivered to the notifier in the last 7 days. */
  isDelivered(id: string): boolean {
    return this.#sent.has(id)
  }

  /**
   * Puts new entries in the outbox. Index first, records second: a crash between leaves ids without a
   * record, dropped at the next load, and the accept that was cut short never resolved.
   */
  async add(entries: readonly Entry[]): Promise<void> {
    for (const entry of entries) this.#outbox.add(entry.id)
    try {
      await this.#persistIndex()
      await this.#track(
        Promise.all(entries.map((entry) => this.#store.set(entryKey(entry.id), toRecord(entry)))),
      )
    } catch (error) {
      // Not accepted: forget the ids, so that accepting the event again is not mistaken for a repeat.
      for (const entry of entries) this.#outbox.delete(entry.id)
      this.#persistIndex().catch(ignore)
      throw error
    }
  }

  /** Saves an entry's attempts and next try, so a restart neither forgets nor restarts its backoff. */
  async saveProgress(entry: Entry): Promise<void> {
    await this.#track(this.#store.set(entryKey(entry.id), toRecord(entry)))
  }

  /**
   * Records a delivery, in the next batch: markers, then records deleted, then (now and then) the index.
   * A crash before the markers are written means one repeat send; after, the next start sees the marker
   * and only cleans up. Until then the entry is delivered in memory: accepting it again adds nothing.
   */
  delivered(entry: Entry, options: { alreadyMarked?: boolean } = {}): void {
    if (!options.alreadyMarked) this.#sent.add([entry.id])
    this.#outbox.delete(entry.id)
    this.#unsettled.push(entry.id)
    if (this.#unsettled.length >= SETTLE_BATCH) this.#track(this.#settleReported())
    else this.#settleTimer ??= setTimeout(() => this.#track(this.#settleReported()), SETTLE_MS)
  }

  /** Records the batch; a failure is reported, never thrown (its deliveries wait for the next one). */
  #settleReported(): Promise<void> {
    return this.#settle().catch((error: unknown) => this.#onError('record deliveries', error))
  }

  async #settle(): Promise<void> {
    clearTimeout(this.#settleTimer)
    this.#settleTimer = undefined
    const ids = this.#unsettled
    if (ids.length === 0) return
    this.#unsettled = []
    try {
      await this.#flushSent()
      await deleteKeys(this.#store, ids.map(entryKey))
    } catch (error) {
      // Kept for the next batch (or `flush()`): the markers stay dirty, the records in place.
      this.#unsettled = [...ids, ...this.#unsettled]
      throw error
    }
    // An index still naming a delivered entry is harmless (the next load drops ids without a record), so
    // it is rewritten only every so often: per delivery, a burst's index is quadratic. Rewritten once a
    // tenth of what it names has gone (50 at least), it costs each delivery about ten ids whatever the size.
    this.#staleDeliveries += ids.length
    const every = Math.max(INDEX_REWRITE_EVERY, Math.ceil(this.#outbox.size / 10))
    if (this.#staleDeliveries >= every) await this.#persistIndex()
  }

  /**
   * Makes an entry a dead letter: its record gets the error first, then the index moves it in one write.
   * A crash between leaves it in the outbox, so it is tried once more. Beyond the cap, the oldest dead
   * letters are dropped.
   */
  async toDead(entry: Entry, error: DeadLetterError, failedAt: number): Promise<void> {
    await this.#track(this.#store.set(entryKey(entry.id), toRecord(entry, { error, failedAt })))
    this.#outbox.delete(entry.id)
    this.#dead.delete(entry.id)
    this.#dead.add(entry.id)
    const dropped: string[] = []
    for (const id of this.#dead) {
      if (this.#dead.size - dropped.length <= this.#maxDead) break
      dropped.push(id)
    }
    for (const id of dropped) this.#dead.delete(id)
    await this.#persistIndex()
    if (dropped.length > 0) {
      this.#logger.warn(
        `Dropped the ${dropped.length} oldest dead letters: at most ${this.#maxDead} are kept.`,
      )
      await this.#track(Promise.all(dropped.map((id) => this.#store.delete(entryKey(id)))))
    }
  }

  /**
   * Moves dead letters back to the outbox with their attempts reset: the index first, then each record.
   * A crash between leaves them in the outbox with their old count: tried once more, never lost.
   */
  async toOutbox(ids: readonly string[]): Promise<Entry[]> {
    const read = await Promise.all(ids.map((id) => this.read(id)))
    const entries = read.filter(
      (found): found is { entry: Entry } => found !== undefined && this.#dead.has(found.entry.id),
    )
    for (const { entry } of entries) {
      this.#dead.delete(entry.id)
      this.#outbox.add(entry.id)
      entry.attempts = 0
      delete entry.nextAt
    }
    await this.#persistIndex()
    await this.#track(
      Promise.all(entries.map(({ entry }) => this.#store.set(entryKey(entry.id), toRecord(entry)))),
    )
    return entries.map(({ entry }) => entry)
  }

  /** Reads one entry, with its error when it is a dead letter. */
  async read(id: string): Promise<{ entry: Entry; error?: DeadLetterError; failedAt?: number } | undefined> {
    const record = await this.#store.get(entryKey(id))
    if (!isRecord(record)) return undefined
    const found = toEntry(id, record)
    if (!found) this.#logger.warn(`The stored notification ${id} cannot be read; it is skipped.`)
    return found
  }

  /**
   * Resolves when every write started so far has settled, the deliveries recorded and the index brought
   * up to date. Deliveries that cannot be recorded are reported; they are sent again after a restart.
   */
  async flush(): Promise<void> {
    await this.#settleReported()
    if (this.#staleDeliveries > 0) this.#persistIndex().catch(ignore)
    while (this.#writes.size > 0) await Promise.allSettled([...this.#writes])
  }

  /**
   * Writes the index as it is in memory when the write starts. Writes run one after another, so an older
   * snapshot never lands after a newer one; callers arriving while one waits share it.
   */
  #persistIndex(): Promise<void> {
    if (this.#queuedWrite) return this.#queuedWrite
    const write = this.#lastWrite.then(async () => {
      this.#queuedWrite = undefined
      this.#staleDeliveries = 0
      await this.#store.set(INDEX_KEY, { v: 1, outbox: [...this.#outbox], dead: [...this.#dead] })
    })
    this.#queuedWrite = write
    this.#lastWrite = write.catch(ignore)
    return this.#track(write)
  }

  /**
   * Persists the delivered markers. Flushes run one after another and callers arriving while one waits
   * share the next, so a burst of deliveries costs a few writes, and each caller's marker is persisted
   * when its promise resolves.
   */
  #flushSent(): Promise<void> {
    if (this.#sentQueued) return this.#sentQueued
    const flush = this.#sentFlush.then(() => {
      this.#sentQueued = undefined
      return this.#sent.flush()
    })
    this.#sentQueued = flush
    this.#sentFlush = flush.catch(ignore)
    return flush
  }

  #track<T>(promise: Promise<T>): Promise<T> {
    this.#writes.add(promise)
    const done = (): void => void this.#writes.delete(promise)
    promise.then(done, done)
    return promise
  }
}
