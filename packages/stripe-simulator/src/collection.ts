/** What every stored Stripe object has: an id, its `object` kind and (usually) a `created` time. */
export interface StoredObject {
  id: string
  object: string
  created?: number
}

interface Entry<T> {
  readonly value: T
  readonly created: number
  readonly seq: number
}

/**
 * Objects of one kind, kept in Stripe's list order: by `created`, then by insertion. Ids never decide
 * order (they are random), so an object created "in the past" lands at its time position.
 * Stored ascending; lists read it backwards (newest first).
 */
export class Collection<T extends StoredObject> {
  readonly #entries: Entry<T>[] = []
  readonly #byId = new Map<string, Entry<T>>()
  #seq = 0

  /** Number of objects. */
  get size(): number {
    return this.#entries.length
  }

  /** Adds an object at its time position; `created` is its sort key (Unix seconds). */
  insert(value: T, created: number): void {
    if (this.#byId.has(value.id)) {
      throw new Error(`[stripe-simulator] A ${value.object} with id '${value.id}' already exists.`)
    }
    const entry: Entry<T> = { value, created, seq: this.#seq++ }
    this.#entries.splice(this.#upperBound(entry), 0, entry)
    this.#byId.set(value.id, entry)
  }

  /** Replaces an object in place (its list position does not change, as on Stripe). */
  replace(value: T): void {
    const old = this.#byId.get(value.id)
    if (old === undefined) throw new Error(`[stripe-simulator] No ${value.object} with id '${value.id}'.`)
    const entry: Entry<T> = { value, created: old.created, seq: old.seq }
    this.#entries[this.position(value.id)] = entry
    this.#byId.set(value.id, entry)
  }

  /** Removes an object; returns whether it was there. */
  delete(id: string): boolean {
    const index = this.position(id)
    if (index < 0) return false
    this.#entries.splice(index, 1)
    this.#byId.delete(id)
    return true
  }

  /** The object with this id. */
  get(id: string): T | undefined {
    return this.#byId.get(id)?.value
  }

  /** The sort key (`created`) of an object. */
  createdOf(id: string): number | undefined {
    return this.#byId.get(id)?.created
  }

  /** Index of an object in ascending order, or -1. */
  position(id: string): number {
    const entry = this.#byId.get(id)
    if (entry === undefined) return -1
    const index = this.#upperBound(entry) - 1
    return this.#entries[index] === entry ? index : -1
  }

  /** The object and sort key at an ascending index. */
  at(index: number): { value: T; created: number } | undefined {
    return this.#entries[index]
  }

  /** Every object, newest first. */
  newestFirst(): T[] {
    const out: T[] = []
    for (let i = this.#entries.length - 1; i >= 0; i--) out.push((this.#entries[i] as Entry<T>).value)
    return out
  }

  /** First index whose entry sorts after `entry` (binary search on created, then seq). */
  #upperBound(entry: Entry<T>): number {
    let lo = 0
    let hi = this.#entries.length
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      const other = this.#entries[mid] as Entry<T>
      if (other.created < entry.created || (other.created === entry.created && other.seq <= entry.seq))
        lo = mid + 1
      else hi = mid
    }
    return lo
  }
}
