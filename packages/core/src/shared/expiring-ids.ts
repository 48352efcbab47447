/**
 * A set of ids that each expire some time after they were added, persisted in time buckets, each bucket in
 * segments of at most {@link SEGMENT_IDS} ids, and one small index that names them. Adding writes only the
 * segment it touched (and nothing when nothing was added), expiry deletes whole buckets by their keys — so
 * the cost of a write grows neither with history nor with how busy a bucket's hour or day was, and nothing
 * depends on a store sweeping expired keys (an in-memory Keyv never does).
 */
import type { KeyValueStore } from './store.js'

/** How an {@link ExpiringIds} keeps its ids. */
export interface ExpiringIdsOptions {
  /** The store key of the index; segments live under `${key}:<bucket>` and `${key}:<bucket>:<segment>`. */
  readonly key: string
  /** How long an id is kept after it was added, ms. */
  readonly retentionMs: number
  /** The span of one bucket, ms: what expires at once. */
  readonly bucketMs: number
  /** The clock, ms since epoch. */
  readonly now: () => number
}

/** Ids per persisted segment: what one write rewrites at most. */
export const SEGMENT_IDS = 256

/** Version 1 named buckets of one segment each; version 2 gives each bucket its segment count. */
type Index = { readonly v: 1; readonly buckets: readonly number[] } | IndexV2
interface IndexV2 {
  readonly v: 2
  readonly buckets: ReadonlyArray<readonly [bucket: number, segments: number]>
}

function segmentsOf(value: unknown): Array<[number, number]> | undefined {
  if (typeof value !== 'object' || value === null) return undefined
  const index = value as Partial<Index>
  if (!Array.isArray(index.buckets)) return undefined
  if (index.v === 1) return index.buckets.filter(Number.isInteger).map((bucket) => [bucket, 1])
  if (index.v !== 2) return undefined
  return (index.buckets as unknown[])
    .filter(
      (entry): entry is [number, number] =>
        Array.isArray(entry) && Number.isInteger(entry[0]) && Number.isInteger(entry[1]) && entry[1] > 0,
    )
    .map(([bucket, segments]) => [bucket, segments])
}

/** Ids that expire, kept in memory and persisted segment by segment. */
export class ExpiringIds {
  readonly #store: KeyValueStore
  readonly #options: ExpiringIdsOptions
  /** id → the newest bucket that holds it. */
  readonly #ids = new Map<string, number>()
  /** bucket → its segments, oldest first; only the last one takes new ids. */
  readonly #buckets = new Map<number, string[][]>()
  /** Segments changed since the last flush, as `bucket:segment`. */
  readonly #dirty = new Map<string, [number, number]>()
  /** Segments per bucket as the store's index names them. */
  readonly #persisted = new Map<number, number>()
  #loading: Promise<void> | undefined

  constructor(store: KeyValueStore, options: ExpiringIdsOptions) {
    this.#store = store
    this.#options = options
  }

  /** Reads the index and its segments, once; buckets past their retention are dropped on the way. */
  load(): Promise<void> {
    this.#loading ??= this.#load().catch((error: unknown) => {
      this.#loading = undefined // a store that was down may be back at the next call
      throw error
    })
    return this.#loading
  }

  /** Whether the id is held (and not expired). Call {@link load} first. */
  has(id: string): boolean {
    const bucket = this.#ids.get(id)
    return bucket !== undefined && bucket >= this.#oldestKept()
  }

  /** Adds ids to the current bucket; nothing is written until {@link flush}. */
  add(ids: Iterable<string>): void {
    const bucket = this.#current()
    for (const id of ids) {
      if (this.#ids.get(id) === bucket) continue
      this.#ids.set(id, bucket)
      const segments = this.#buckets.get(bucket) ?? []
      this.#buckets.set(bucket, segments)
      let last = segments.at(-1)
      if (!last || last.length >= SEGMENT_IDS) {
        last = []
        segments.push(last)
      }
      last.push(id)
      const segment = segments.length - 1
      this.#dirty.set(`${bucket}:${segment}`, [bucket, segment])
    }
  }

  /**
   * Persists what changed: the index first when a segment appears or a bucket expires (a segment named
   * but never written reads as empty, so a crash between the two loses nothing that was persisted), then
   * each changed segment; expired buckets are deleted by key. Writes nothing when nothing changed.
   */
  async flush(): Promise<void> {
    const expired = this.#expire()
    if (this.#dirty.size === 0 && expired.length === 0) return
    const dirty = [...this.#dirty.values()]
    this.#dirty.clear()
    const indexChanged =
      expired.length > 0 || dirty.some(([bucket, segment]) => segment >= (this.#persisted.get(bucket) ?? 0))
    try {
      if (indexChanged) await this.#store.set(this.#options.key, this.#index())
      await Promise.all(
        dirty.map(([bucket, segment]) =>
          this.#store.set(this.#segmentKey(bucket, segment), [
            ...(this.#buckets.get(bucket)?.[segment] ?? []),
          ]),
        ),
      )
      for (const [bucket, count] of this.#counts()) this.#persisted.set(bucket, count)
      await Promise.all(
        expired.flatMap(([bucket, segments]) =>
          Array.from({ length: segments }, (_, segment) =>
            this.#store.delete(this.#segmentKey(bucket, segment)),
          ),
        ),
      )
    } catch (error) {
      for (const entry of dirty) this.#dirty.set(`${entry[0]}:${entry[1]}`, entry) // written at the next flush
      throw error
    }
  }

  /** Forgets every id, in memory and in the store. */
  async clear(): Promise<void> {
    await this.load()
    const counts = new Map([...this.#persisted, ...this.#counts()])
    this.#ids.clear()
    this.#buckets.clear()
    this.#dirty.clear()
    this.#persisted.clear()
    await Promise.all(
      [...counts].flatMap(([bucket, segments]) =>
        Array.from({ length: segments }, (_, segment) =>
          this.#store.delete(this.#segmentKey(bucket, segment)),
        ),
      ),
    )
    await this.#store.delete(this.#options.key)
  }

  /** How many ids are held. */
  get size(): number {
    return this.#ids.size
  }

  /** How many buckets are held: bounded by retention ÷ bucket span, plus one. */
  get bucketCount(): number {
    return this.#buckets.size
  }

  async #load(): Promise<void> {
    const listed = segmentsOf(await this.#store.get(this.#options.key))
    if (!listed) return
    const oldest = this.#oldestKept()
    for (const [bucket, segments] of listed) this.#persisted.set(bucket, segments)
    const kept = listed.filter(([bucket]) => bucket >= oldest) // the others are deleted at the next flush
    const values = await Promise.all(
      kept.map(([bucket, segments]) =>
        Promise.all(
          Array.from({ length: segments }, (_, segment) =>
            this.#store.get(this.#segmentKey(bucket, segment)),
          ),
        ),
      ),
    )
    kept.forEach(([bucket], i) => {
      const segments = (values[i] ?? []).map((ids) =>
        Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [],
      )
      this.#buckets.set(bucket, segments)
      for (const id of segments.flat()) {
        const previous = this.#ids.get(id)
        if (previous === undefined || previous < bucket) this.#ids.set(id, bucket)
      }
    })
  }

  /** Drops expired buckets from memory; returns those the store still holds, with their segment counts. */
  #expire(): Array<[number, number]> {
    const oldest = this.#oldestKept()
    for (const [bucket, segments] of this.#buckets) {
      if (bucket >= oldest) continue
      for (const id of segments.flat()) if (this.#ids.get(id) === bucket) this.#ids.delete(id)
      this.#buckets.delete(bucket)
      for (const [key, [dirtyBucket]] of this.#dirty) if (dirtyBucket === bucket) this.#dirty.delete(key)
    }
    const expired = [...this.#persisted].filter(([bucket]) => bucket < oldest)
    for (const [bucket] of expired) this.#persisted.delete(bucket)
    return expired
  }

  /** Segments per bucket held in memory. */
  #counts(): Map<number, number> {
    return new Map([...this.#buckets].map(([bucket, segments]) => [bucket, segments.length]))
  }

  #index(): IndexV2 {
    const counts = new Map([...this.#persisted, ...this.#counts()])
    return { v: 2, buckets: [...counts].sort((a, b) => a[0] - b[0]) }
  }

  #current(): number {
    return Math.floor(this.#options.now() / this.#options.bucketMs)
  }

  /** The oldest bucket whose ids are all still within their retention. */
  #oldestKept(): number {
    return Math.floor((this.#options.now() - this.#options.retentionMs) / this.#options.bucketMs)
  }

  /** Segment 0 keeps the key a bucket had before buckets had segments. */
  #segmentKey(bucket: number, segment: number): string {
    return segment === 0 ? `${this.#options.key}:${bucket}` : `${this.#options.key}:${bucket}:${segment}`
  }
}
