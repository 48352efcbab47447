/**
 * The events Stripe pushed to an account that its pipeline has not handled yet, persisted before the
 * webhook is answered: a crash between the answer and the enrichment cannot lose them (Stripe, having
 * had its 2xx, will not send them again). Writes of one account go one after another, so concurrent
 * deliveries never overwrite each other's.
 */
import type Stripe from 'stripe'
import type { KeyValueStore } from '../shared/store.js'

interface Stored {
  readonly v: 1
  readonly events: readonly Stripe.Event[]
}

function isStored(value: unknown): value is Stored {
  return typeof value === 'object' && value !== null && (value as Partial<Stored>).v === 1
}

/** One account's pushed, unhandled events, under one store key. */
export class PushInbox {
  readonly #store: KeyValueStore
  readonly #key: string
  #events: Stripe.Event[] | undefined
  /** The last write: the next starts after it. */
  #writing: Promise<void> = Promise.resolve()

  constructor(store: KeyValueStore, key: string) {
    this.#store = store
    this.#key = key
  }

  /** Adds events (an id already in it is kept once) and resolves once they are in the store. */
  add(events: readonly Stripe.Event[]): Promise<void> {
    return this.#update((held) => {
      const ids = new Set(held.map((event) => event.id))
      return [...held, ...events.filter((event) => !ids.has(event.id))]
    })
  }

  /** What is held, oldest first by `created`. */
  async held(): Promise<Stripe.Event[]> {
    await this.#writing.catch(() => undefined)
    const events = await this.#load()
    return [...events].sort((a, b) => a.created - b.created)
  }

  /** Drops the events with these ids: they were handed on. */
  remove(ids: ReadonlySet<string>): Promise<void> {
    if (ids.size === 0) return Promise.resolve()
    return this.#update((held) => held.filter((event) => !ids.has(event.id)))
  }

  /** Forgets everything held (the account was removed for good). */
  async forget(): Promise<void> {
    await this.#writing.catch(() => undefined)
    this.#events = undefined
    await this.#store.delete(this.#key)
  }

  #update(change: (held: Stripe.Event[]) => Stripe.Event[]): Promise<void> {
    const write = this.#writing
      .catch(() => undefined)
      .then(async () => {
        const before = await this.#load()
        const after = change(before)
        if (after.length === before.length && after.every((event, i) => event === before[i])) return
        if (after.length === 0) await this.#store.delete(this.#key)
        else await this.#store.set(this.#key, { v: 1, events: after } satisfies Stored)
        this.#events = after
      })
    this.#writing = write
    return write
  }

  async #load(): Promise<Stripe.Event[]> {
    if (this.#events) return this.#events
    const stored = await this.#store.get(this.#key)
    this.#events = isStored(stored) ? [...stored.events] : []
    return this.#events
  }
}
