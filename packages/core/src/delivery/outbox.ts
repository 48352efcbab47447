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
 */

import { ExpiringIds } from '../shared/expiring-ids.js'
import type { Logger } from '../shared/logger.js'
import { type KeyValueStore, RETENTION, STORE_KEYS } from '../shared/store.js'
import { type Entry, isRecord, toEntry, toRecord } from './entry.js'
import type { DeadLetterError } from './types.js'

const INDEX_KEY = STORE_KEYS.deliveryIndex

/** Deliveries between two rewrites of the index (see `delivered`). */
const INDEX_REWRITE_EVERY = 50
const entryKey = STORE_KEYS.deliveryEntry
/** Delivered markers are kept in hourly buckets: a delivery rewrites at most an hour's markers. */
const SENT_BUCKET_MS = 3_600_000

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

  constructor(store: KeyValueStore, logger: Logger, maxDeadLetters: number, now: () => number) {
    this.#store = store
    this.#logger = logger
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
   * Records a delivery: marker, then record deleted, then index. A crash before the marker means one
   * repeat send; after it, the next start sees the marker and only cleans up.
   */
  async delivered(entry: Entry, options: { alreadyMarked?: boolean } = {}): Promise<void> {
    if (!options.alreadyMarked) {
      this.#sent.add([entry.id])
      await this.#track(this.#flushSent())
    }
    await this.#track(this.#store.delete(entryKey(entry.id)))
    this.#outbox.delete(entry.id)
    // An index still naming a delivered entry is harmless (the next load drops ids without a record), so
    // it is rewritten only every so often: rewriting the whole index per delivery is quadratic.
    this.#staleDeliveries++
    if (this.#staleDeliveries >= INDEX_REWRITE_EVERY) await this.#persistIndex()
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

  /** Resolves when every write started so far has settled, the index brought up to date. */
  async flush(): Promise<void> {
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
