/** A value and when it stops being fresh. */
interface Entry<T> {
  readonly value: T
  readonly expires: number
}

/**
 * A bounded LRU cache with a time to live, that also coalesces concurrent look-ups of one key: while a
 * fetch is in flight, every caller asking for the same key shares it instead of calling Stripe again.
 */
export class LookupCache<T> {
  readonly #entries = new Map<string, Entry<T>>()
  /** Made at the first fetch: most of an account's caches never fetch, and an empty Map is not free. */
  #inFlight: Map<string, Promise<T>> | undefined
  readonly #maxSize: number
  readonly #ttlMs: number
  readonly #now: () => number

  constructor(options: { maxSize: number; ttlMs: number; now?: () => number }) {
    this.#maxSize = options.maxSize
    this.#ttlMs = options.ttlMs
    this.#now = options.now ?? Date.now
  }

  /** The cached value, or the result of `fetch` (shared with concurrent callers, cached on success). */
  async get(key: string, fetch: () => Promise<T>): Promise<T> {
    const entry = this.#entries.get(key)
    if (entry && entry.expires > this.#now()) {
      // Re-insert to mark it most recently used.
      this.#entries.delete(key)
      this.#entries.set(key, entry)
      return entry.value
    }
    this.#inFlight ??= new Map()
    const inFlight = this.#inFlight
    const pending = inFlight.get(key)
    if (pending) return pending
    const fetching = fetch()
      .then((value) => {
        this.set(key, value)
        return value
      })
      .finally(() => inFlight.delete(key))
    inFlight.set(key, fetching)
    return fetching
  }

  /** Stores a value seen elsewhere (e.g. in an event's payload), so it need not be fetched. */
  set(key: string, value: T): void {
    this.#entries.delete(key)
    this.#entries.set(key, { value, expires: this.#now() + this.#ttlMs })
    while (this.#entries.size > this.#maxSize) {
      const oldest = this.#entries.keys().next().value
      if (oldest === undefined) break
      this.#entries.delete(oldest)
    }
  }

  /** Whether a fresh value is held for the key (a look-up of it would cost nothing). */
  has(key: string): boolean {
    const entry = this.#entries.get(key)
    return entry !== undefined && entry.expires > this.#now()
  }

  /** How many values are held. */
  get size(): number {
    return this.#entries.size
  }
}
