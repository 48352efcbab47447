/**
 * A set of ids that each expire some time after they were added, persisted in time buckets: one key per
 * bucket, and one small index that names the buckets. Adding writes only the buckets it touched (and
 * nothing when nothing was added), expiry deletes whole buckets by their key — so the cost of a write does
 * not grow with history, and nothing depends on a store sweeping expired keys (an in-memory Keyv never does).
 */
import type { KeyValueStore } from './store.js'

/** How an {@link ExpiringIds} keeps its ids. */
export interface ExpiringIdsOptions {
  /** The store key of the index; buckets live under `${key}:<bucket number>`. */
  readonly key: string
  /** How long an id is kept after it was added, ms. */
  readonly retentionMs: number
  /** The span of one bucket, ms: what one write rewrites at most. */
  readonly bucketMs: number
  /** The clock, ms since epoch. */
  readonly now: () => number
}

interface Index {
  readonly v: 1
  readonly buckets: readonly number[]
}

function isIndex(value: unknown): value is Index {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Partial<Index>).v === 1 &&
    Array.isArray((value as Partial<Index>).buckets)
  )
}

/** Ids that expire, kept in memory and persisted bucket by bucket. */
export class ExpiringIds {
  readonly #store: KeyValueStore
  readonly #options: ExpiringIdsOptions
  /** id → the bucket that holds it. */
  readonly #ids = new Map<string, number>()
  readonly #buckets = new Map<number, Set<string>>()
  readonly #dirty = new Set<number>()
  /** Buckets known to be in the store's index. */
  readonly #persisted = new Set<number>()
  #loading: Promise<void> | undefined

  constructor(store: KeyValueStore, options: ExpiringIdsOptions) {
    this.#store = store
    this.#options = options
  }

  /** Reads the index and its buckets, once; buckets past their retention are dropped on the way. */
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
      let set = this.#buckets.get(bucket)
      if (!set) {
        set = new Set()
        this.#buckets.set(bucket, set)
      }
      set.add(id)
      this.#dirty.add(bucket)
    }
  }

  /**
   * Persists what changed: the index first when a bucket appears or expires (a bucket named but never
   * written reads as empty, so a crash between the two loses nothing that was persisted), then each changed
   * bucket; expired buckets are deleted by key. Writes nothing when nothing changed.
   */
  async flush(): Promise<void> {
    const expired = this.#expire()
    if (this.#dirty.size === 0 && expired.length === 0) return
    const dirty = [...this.#dirty]
    this.#dirty.clear()
    const indexChanged = expired.length > 0 || dirty.some((bucket) => !this.#persisted.has(bucket))
    try {
      if (indexChanged) await this.#store.set(this.#options.key, this.#index())
      await Promise.all(
        dirty.map((bucket) =>
          this.#store.set(this.#bucketKey(bucket), [...(this.#buckets.get(bucket) ?? [])]),
        ),
      )
      for (const bucket of dirty) this.#persisted.add(bucket)
      await Promise.all(expired.map((bucket) => this.#store.delete(this.#bucketKey(bucket))))
    } catch (error) {
      for (const bucket of dirty) this.#dirty.add(bucket) // written again at the next flush
      throw error
    }
  }

  /** Forgets every id, in memory and in the store. */
  async clear(): Promise<void> {
    await this.load()
    const buckets = [...new Set([...this.#buckets.keys(), ...this.#persisted])]
    this.#ids.clear()
    this.#buckets.clear()
    this.#dirty.clear()
    this.#persisted.clear()
    await Promise.all(buckets.map((bucket) => this.#store.delete(this.#bucketKey(bucket))))
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
    const index = await this.#store.get(this.#options.key)
    if (!isIndex(index)) return
    const oldest = this.#oldestKept()
    const kept = index.buckets.filter((bucket) => Number.isInteger(bucket))
    const values = await Promise.all(kept.map((bucket) => this.#store.get(this.#bucketKey(bucket))))
    kept.forEach((bucket, i) => {
      this.#persisted.add(bucket)
      if (bucket < oldest) return // deleted at the next flush
      const ids = values[i]
      const set = new Set(Array.isArray(ids) ? ids.filter((id): id is string => typeof id === 'string') : [])
      this.#buckets.set(bucket, set)
      for (const id of set) {
        const previous = this.#ids.get(id)
        if (previous === undefined || previous < bucket) this.#ids.set(id, bucket)
      }
    })
  }

  /** Drops expired buckets from memory; returns those the store still holds. */
  #expire(): number[] {
    const oldest = this.#oldestKept()
    for (const [bucket, ids] of this.#buckets) {
      if (bucket >= oldest) continue
      for (const id of ids) if (this.#ids.get(id) === bucket) this.#ids.delete(id)
      this.#buckets.delete(bucket)
      this.#dirty.delete(bucket)
    }
    const expired = [...this.#persisted].filter((bucket) => bucket < oldest)
    for (const bucket of expired) this.#persisted.delete(bucket)
    return expired
  }

  #index(): Index {
    const buckets = new Set([...this.#persisted, ...this.#dirty, ...this.#buckets.keys()])
    return { v: 1, buckets: [...buckets].sort((a, b) => a - b) }
  }

  #current(): number {
    return Math.floor(this.#options.now() / this.#options.bucketMs)
  }

  /** The oldest bucket whose ids are all still within their retention. */
  #oldestKept(): number {
    return Math.floor((this.#options.now() - this.#options.retentionMs) / this.#options.bucketMs)
  }

  #bucketKey(bucket: number): string {
    return `${this.#options.key}:${bucket}`
  }
}
