import type Stripe from 'stripe'
import type { SimAccount } from '../accounts.js'
import { type Clock, unixSeconds } from '../clock.js'
import type { StoredObject } from '../collection.js'
import { newId } from '../ids.js'
import type { Random } from '../random.js'
import { existsAt } from '../render/changes.js'
import { previousAttributes, renderAt } from '../render/render.js'
import { sourceOf } from '../render/source.js'
import type { Json } from '../render/versions.js'
import type { CreateEventInput } from '../simulator-options.js'
import { type ModeData, ObjectStore } from '../store.js'

/** What a business needs from its simulator (internal). */
export interface ScenarioHost {
  readonly account: SimAccount
  readonly data: ModeData
  readonly livemode: boolean
  readonly random: Random
  readonly clock: Clock
  readonly createEvent: (input: CreateEventInput) => Stripe.Event
}

/** Per-call overrides of a business's defaults. */
export interface EmitOptions {
  apiVersion?: string | undefined
  shuffle?: boolean | undefined
}

/** One event of a scenario, in Stripe's canonical order, before it is rendered and stored. */
interface PendingEvent {
  readonly type: string
  readonly object: Json
  readonly created: number
  readonly before: Json | undefined
}

/**
 * The events of one scenario call: added in the order Stripe creates them, each with a snapshot of its
 * object at that moment (and, for `*.updated`, the object before), stored when the call ends.
 */
export class EventBatch {
  readonly start: number
  readonly #events: PendingEvent[] = []

  constructor(start: number) {
    this.start = start
  }

  /** Adds an event `offset` seconds after the start; `object` and `before` are copied now. */
  add(type: string, object: object, options: { offset?: number; before?: object } = {}): void {
    this.#events.push({
      type,
      object: structuredClone(object) as Json,
      created: this.start + (options.offset ?? 0),
      before: options.before === undefined ? undefined : (structuredClone(options.before) as Json),
    })
  }

  /** The events, in canonical order (internal). */
  get pending(): readonly PendingEvent[] {
    return this.#events
  }
}

/** The state a business's scenarios share: its account, mode, store, seeded ids and event output. */
export class Scene {
  readonly account: SimAccount
  readonly livemode: boolean
  readonly store: ObjectStore
  readonly version: string
  readonly shuffle: boolean
  readonly #host: ScenarioHost

  constructor(host: ScenarioHost, version: string, shuffle: boolean) {
    this.#host = host
    this.account = host.account
    this.livemode = host.livemode
    this.store = new ObjectStore(host.data, host.clock)
    this.version = version
    this.shuffle = shuffle
  }

  /** A seeded id: `cus_` + 14 characters, `pi_` + 24... */
  id(prefix: string): string {
    return newId(this.#host.random, prefix)
  }

  /** `length` seeded characters from [A-Za-z0-9]. */
  token(length: number): string {
    return this.#host.random.alnum(length)
  }

  /** Seeded digits (card fingerprints, acquirer reference numbers...). */
  digits(length: number): string {
    let out = ''
    for (let i = 0; i < length; i++) out += Math.floor(this.#host.random.next() * 10)
    return out
  }

  /** The simulator clock in Unix seconds. */
  now(): number {
    return unixSeconds(this.#host.clock)
  }

  /**
   * When a call happens: at the caller's `at`, else now, as Stripe creates an event when the thing
   * happens. What is scheduled (`due`: a period's end, a trial's warning) cannot happen before its
   * moment, so a call without `at` before it throws rather than date events in the future.
   */
  moment(at: number | undefined, due?: { readonly at: number; readonly what: string }): number {
    if (at !== undefined) return at
    const now = this.now()
    if (due !== undefined && now < due.at) {
      throw new Error(
        `[stripe-simulator] ${due.what} at ${isoOf(due.at)}, after the simulator clock (${isoOf(now)}). ` +
          'Advance the clock to it, or pass `at`.',
      )
    }
    return now
  }

  /** `test_` or `live_`, as Stripe's URLs and Checkout ids spell the mode. */
  get mode(): 'test' | 'live' {
    return this.livemode ? 'live' : 'test'
  }

  /** Stores an object, replacing the stored one of the same kind and id if there is one. */
  save<T extends { id: string; object: string; created?: number }>(object: T): T {
    return this.store.get(object.object, object.id) === undefined
      ? this.store.add(object)
      : this.store.update(object)
  }

  /** The API version of a call: its own, else the business's. */
  versionOf(options: EmitOptions): string {
    return options.apiVersion ?? this.version
  }

  /**
   * Renders and stores a batch's events at the call's API version, skipping types that version does
   * not have. With shuffling on, events of the same second are put in a seeded random order, as Stripe
   * does not guarantee the order of related events. Returns them oldest first (list order reversed).
   */
  emit(batch: EventBatch, options: EmitOptions): Stripe.Event[] {
    return this.#prepare(batch, options).map((input) => this.#host.createEvent(input))
  }

  /**
   * What happens later, when the simulator clock reaches `at`: `objects` are stored (replacing the
   * stored ones) and the batch's events created, at their own times, never before. Events are
   * rendered and given their seeded ids now, so ids do not depend on when a read catches up.
   */
  later(at: number, batch: EventBatch, objects: readonly StoredObject[], options: EmitOptions): void {
    const events = this.#prepare(batch, options)
    this.#host.data.schedule(at, () => {
      for (const object of objects) this.save(object)
      for (const input of events) this.#host.createEvent(input)
    })
  }

  #prepare(batch: EventBatch, options: EmitOptions): CreateEventInput[] {
    const version = this.versionOf(options)
    const shuffle = options.shuffle ?? this.shuffle
    const source = sourceOf(this.#host.data)
    const events = batch.pending.filter((event) => existsAt(event.type, version))
    const ordered = shuffle ? this.#shuffleWithinSeconds(events) : events
    return ordered.map((event) => {
      const object = renderAt(event.object, version, source)
      const previous =
        event.before === undefined
          ? undefined
          : previousAttributes(renderAt(event.before, version, source), object)
      return {
        id: this.id('evt'),
        account: this.account.id,
        livemode: this.livemode,
        type: event.type,
        object,
        created: event.created,
        apiVersion: version,
        ...(previous === undefined ? {} : { previousAttributes: previous }),
      }
    })
  }

  #shuffleWithinSeconds(events: readonly PendingEvent[]): PendingEvent[] {
    const seconds = [...new Set(events.map((event) => event.created))].sort((a, b) => a - b)
    return seconds.flatMap((second) => {
      const group = events.filter((event) => event.created === second)
      for (let i = group.length - 1; i > 0; i--) {
        const j = Math.floor(this.#host.random.next() * (i + 1))
        const swap = group[i] as PendingEvent
        group[i] = group[j] as PendingEvent
        group[j] = swap
      }
      return group
    })
  }
}

/** Unix seconds as an ISO date, for messages. */
export function isoOf(seconds: number): string {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z')
}

/** The id of an object or id given to a scenario. */
export function idOfRef(ref: string | { readonly id: string }): string {
  return typeof ref === 'string' ? ref : ref.id
}

/** The stored object, or a helpful error naming what is missing. */
export function required<T>(found: T | undefined, what: string, id: string): T {
  if (found === undefined) {
    throw new Error(
      `[stripe-simulator] No ${what} '${id}' in this business's store. Create it with the business first.`,
    )
  }
  return found
}
