import type Stripe from 'stripe'
import { type Clock, unixSeconds } from './clock.js'
import { Collection, type StoredObject } from './collection.js'
import { checkEvent } from './event-check.js'
import { balanceFixture } from './fixtures/balance.js'
import type { Wire } from './wire.js'

/** The object types the simulator knows by `object` kind, as they travel over the wire. */
export interface ResourceTypes {
  balance_transaction: Wire<Stripe.BalanceTransaction>
  charge: Wire<Stripe.Charge>
  'checkout.session': Wire<Stripe.Checkout.Session>
  customer: Wire<Stripe.Customer>
  dispute: Wire<Stripe.Dispute>
  event: Wire<Stripe.Event>
  file: Wire<Stripe.File>
  file_link: Wire<Stripe.FileLink>
  invoice: Wire<Stripe.Invoice>
  invoice_payment: Wire<Stripe.InvoicePayment>
  payment_intent: Wire<Stripe.PaymentIntent>
  payout: Wire<Stripe.Payout>
  price: Wire<Stripe.Price>
  product: Wire<Stripe.Product>
  refund: Wire<Stripe.Refund>
  subscription: Wire<Stripe.Subscription>
  webhook_endpoint: Wire<Stripe.WebhookEndpoint>
}

/** Something that happens at a moment: a payout arriving... */
interface Due {
  readonly at: number
  readonly run: () => void
}

/**
 * One account's data in one mode (test and live never see each other's objects, as on Stripe).
 * Internal: routes read it directly; users go through {@link ObjectStore}, which copies.
 */
export class ModeData {
  readonly account: string
  readonly livemode: boolean
  balance: Wire<Stripe.Balance>
  readonly #collections = new Map<string, Collection<StoredObject>>()
  /** In the order they were scheduled; run oldest `at` first. */
  readonly #due: Due[] = []

  constructor(account: string, livemode: boolean, currency: string) {
    this.account = account
    this.livemode = livemode
    const zero = { amount: 0, currency, source_types: { card: 0 } }
    this.balance = {
      ...structuredClone(balanceFixture),
      livemode,
      available: [zero],
      pending: [structuredClone(zero)],
      connect_reserved: [{ amount: 0, currency }],
    }
  }

  /** Runs `run` once the simulator clock reaches `at` (at the first read after that, see {@link catchUp}). */
  schedule(at: number, run: () => void): void {
    this.#due.push({ at, run })
  }

  /**
   * Makes happen what was due by `now`, oldest first. Every read (a request, a store read) calls it
   * first, so nobody can list the data between a due moment and the change it brings: an event created
   * at that moment is never older than a list that did not show it.
   */
  catchUp(now: number): void {
    for (;;) {
      let next: Due | undefined
      for (const due of this.#due) if (due.at <= now && (next === undefined || due.at < next.at)) next = due
      if (next === undefined) return
      this.#due.splice(this.#due.indexOf(next), 1)
      next.run()
    }
  }

  /** The collection of one kind (created empty on first use). */
  collection(kind: string): Collection<StoredObject> {
    let collection = this.#collections.get(kind)
    if (collection === undefined) {
      collection = new Collection()
      this.#collections.set(kind, collection)
    }
    return collection
  }
}

/**
 * The objects of one account in one mode: what list and retrieve endpoints serve. Scenario helpers and
 * tests add customers, invoices, charges... here; events go through `sim.createEvent`.
 * Everything going in and out is copied, so a caller can never change stored state by accident.
 *
 * @example
 * ```ts
 * const store = sim.store(account.id, false)
 * store.add({ ...fixture('customer'), id: 'cus_123', email: 'jenny@example.com' })
 * ```
 */
export class ObjectStore {
  /** The account id. */
  readonly account: string
  /** True for live-mode data. */
  readonly livemode: boolean
  readonly #data: ModeData
  readonly #clock: Clock

  /** @internal Created by `StripeSimulator.store()`. */
  constructor(data: ModeData, clock: Clock) {
    this.#data = data
    this.#clock = clock
    this.account = data.account
    this.livemode = data.livemode
  }

  /**
   * Adds an object under its `object` kind. Without `created`, it sorts at the simulator clock's now
   * (objects with `created` in the past are placed at their time). Throws if the id exists, and for an
   * `event` Stripe would never send (see `sim.createEvent`, the usual way to add events).
   */
  add<T extends StoredObject>(object: T): T {
    const copy = this.#checked(object)
    this.#data.collection(copy.object).insert(copy, copy.created ?? this.#now())
    return structuredClone(copy)
  }

  /** Replaces a stored object (same id and kind); its list position is kept. Throws if absent. */
  update<T extends StoredObject>(object: T): T {
    this.#data.collection(object.object).replace(this.#checked(object))
    return structuredClone(object)
  }

  /** A copy of the object of this kind and id. */
  get<K extends keyof ResourceTypes>(kind: K, id: string): ResourceTypes[K] | undefined
  get(kind: string, id: string): StoredObject | undefined
  get(kind: string, id: string): StoredObject | undefined {
    this.#now()
    const found = this.#data.collection(kind).get(id)
    return found === undefined ? undefined : structuredClone(found)
  }

  /** Removes an object; returns whether it was there. */
  remove(kind: string, id: string): boolean {
    return this.#data.collection(kind).delete(id)
  }

  /** Copies of every object of a kind, newest first (retention is not applied here). */
  list<K extends keyof ResourceTypes>(kind: K): ResourceTypes[K][]
  list(kind: string): StoredObject[]
  list(kind: string): StoredObject[] {
    this.#now()
    return structuredClone(this.#data.collection(kind).newestFirst())
  }

  /** A copy of the balance `GET /v1/balance` serves. */
  get balance(): Wire<Stripe.Balance> {
    this.#now()
    return structuredClone(this.#data.balance)
  }

  /** Sets the balance `GET /v1/balance` serves. */
  set balance(balance: Wire<Stripe.Balance>) {
    this.#data.balance = structuredClone(balance)
  }

  /** The simulator clock in Unix seconds, after making happen what was due by then. */
  #now(): number {
    const now = unixSeconds(this.#clock)
    this.#data.catchUp(now)
    return now
  }

  /** A copy to store; events are checked as `createEvent` checks them. */
  #checked<T extends StoredObject>(object: T): T {
    this.#now()
    const copy = structuredClone(object)
    if (copy.object === 'event') checkEvent(copy as unknown as Record<string, unknown>, this.livemode)
    return copy
  }
}
