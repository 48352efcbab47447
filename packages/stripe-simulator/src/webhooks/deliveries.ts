import { type Clock, unixSeconds } from '../clock.js'
import type { StoredObject } from '../collection.js'
import type { Random } from '../random.js'
import type { AccountState } from '../state.js'
import type { ModeData } from '../store.js'
import { type WebhookEndpointObject, wants } from './endpoint-object.js'
import { checkFaults, type DeliveryFaults, type ResolvedWebhookOptions } from './options.js'
import { DueQueue } from './queue.js'
import { type PostOutcome, post } from './send.js'
import {
  DeliveryCounters,
  type UpcomingDelivery,
  type WebhookDeliveryLogEntry,
  type WebhookDeliveryStats,
} from './stats.js'

/** What the simulator keeps of an endpoint besides its object: what signs, and its faults. */
export interface EndpointSecrets {
  readonly secret: string
  /** Test mode: the secret of the fake `v0` signature. */
  readonly fakeV0Secret: string | undefined
  faults: DeliveryFaults | undefined
}

/** A new event, as deliveries need it. */
export interface NewEvent {
  readonly account: string
  readonly livemode: boolean
  readonly id: string
  readonly type: string
  /** Unix seconds: an event is not delivered before it happens. */
  readonly created: number
}

/** One event to one endpoint: delivered once any attempt gets a 2xx. */
interface Delivery {
  readonly event: NewEvent
  readonly endpoint: string
  retries: number
  state: 'pending' | 'succeeded' | 'failed' | 'abandoned'
}

/** One HTTP attempt of a delivery; `lane` is the endpoint, whose attempts go out one at a time. */
interface Attempt {
  readonly at: number
  readonly lane: string
  readonly delivery: Delivery
  readonly number: number
  readonly duplicate: boolean
}

/**
 * Webhook deliveries, as Stripe makes them: every event of an account and mode goes to each enabled
 * endpoint of that account and mode that wants its type, as a signed `POST`, at least once, retried with
 * backoff on the simulator clock until a 2xx. Attempts that fall due are sent when something happens:
 * an event is created, a request arrives, {@link WebhookDeliveries.idle} is awaited, or a timer set for
 * the next due attempt fires (it never keeps the process alive).
 */
export interface WebhookDeliveries {
  /**
   * Resolves once every attempt that is due on the simulator clock has been sent and answered,
   * including retries that fall due meanwhile. Attempts due later wait for the clock to reach them.
   */
  idle(): Promise<void>
  /** Attempts of one endpoint, or of all endpoints. */
  stats(endpoint?: string): WebhookDeliveryStats
  /** Every attempt made, oldest first. */
  readonly log: readonly WebhookDeliveryLogEntry[]
  /** Attempts waiting for the simulator clock, soonest first. */
  upcoming(): readonly UpcomingDelivery[]
  /**
   * Sets (or, with undefined, removes) an endpoint's own delivery faults, for the events created from
   * now on. Throws a RangeError for faults out of range.
   */
  setFaults(endpoint: string, faults: DeliveryFaults | undefined): void
}

/** The simulator's {@link WebhookDeliveries}, with what the rest of it calls. */
export class WebhookDispatcher implements WebhookDeliveries {
  readonly #clock: Clock
  readonly #random: Random
  readonly #accounts: ReadonlyMap<string, AccountState>
  readonly #options: ResolvedWebhookOptions
  readonly #endpoints = new Map<string, EndpointSecrets>()
  readonly #counters = new DeliveryCounters()
  readonly #queue: DueQueue<Attempt>

  constructor(
    clock: Clock,
    random: Random,
    accounts: ReadonlyMap<string, AccountState>,
    options: ResolvedWebhookOptions,
  ) {
    this.#clock = clock
    this.#random = random
    this.#accounts = accounts
    this.#options = options
    this.#queue = new DueQueue<Attempt>(clock, random, {
      run: (attempt) => this.#attempt(attempt),
      shuffled: (endpoint) => this.#faultsOf(endpoint).reorder === true,
    })
  }

  idle(): Promise<void> {
    return this.#queue.idle()
  }

  stats(endpoint?: string): WebhookDeliveryStats {
    const waiting = this.#queue.waiting.filter((a) => endpoint === undefined || a.lane === endpoint)
    return { ...this.#counters.counts(endpoint), scheduled: waiting.length }
  }

  get log(): readonly WebhookDeliveryLogEntry[] {
    return this.#counters.log
  }

  upcoming(): readonly UpcomingDelivery[] {
    return this.#queue.waiting.map(({ delivery, at, number, duplicate }) => ({
      at,
      endpoint: delivery.endpoint,
      event: delivery.event.id,
      type: delivery.event.type,
      attempt: number,
      duplicate,
    }))
  }

  setFaults(endpoint: string, faults: DeliveryFaults | undefined): void {
    const record = this.#endpoints.get(endpoint)
    if (record === undefined) throw new Error(`[stripe-simulator] Unknown webhook endpoint '${endpoint}'.`)
    record.faults = faults === undefined ? undefined : checkFaults(faults)
  }

  /** Keeps an endpoint's secrets. */
  register(endpoint: string, secrets: EndpointSecrets): void {
    this.#endpoints.set(endpoint, secrets)
  }

  /**
   * The endpoints that should get an event of this type: their count is `pending_webhooks`. Only
   * endpoints with a secret (made by the API or `addWebhookEndpoint`, not put in the store) get events.
   */
  endpointsFor(data: ModeData, type: string): string[] {
    return data
      .collection('webhook_endpoint')
      .newestFirst()
      .filter(
        (endpoint) => this.#endpoints.has(endpoint.id) && wants(endpoint as WebhookEndpointObject, type),
      )
      .map((endpoint) => endpoint.id)
  }

  /** Schedules the first attempts of a new event (not before its `created`). */
  enqueue(event: NewEvent, endpoints: readonly string[]): void {
    if (!this.#options.deliver) return
    const start = Math.max(this.#clock.now(), event.created * 1000)
    for (const endpoint of endpoints) {
      const faults = this.#faultsOf(endpoint)
      const delivery: Delivery = { event, endpoint, retries: 0, state: 'pending' }
      const first = { lane: endpoint, delivery, number: 1 }
      this.#queue.add({ ...first, at: start + this.#lateness(faults), duplicate: false })
      const duplicate = faults.duplicate ?? 0
      if (duplicate > 0 && this.#random.next() < duplicate) {
        this.#queue.add({ ...first, at: start + this.#lateness(faults), duplicate: true })
      }
    }
  }

  /** Sends what is due on the simulator clock (every request calls it, as payouts catch up). */
  pump(): void {
    this.#queue.pump()
  }

  #faultsOf(endpoint: string): DeliveryFaults {
    return this.#endpoints.get(endpoint)?.faults ?? this.#options.faults
  }

  #lateness(faults: DeliveryFaults): number {
    const { delayMs } = faults
    if (delayMs === undefined) return 0
    if (typeof delayMs === 'number') return delayMs
    return Math.round(delayMs.min + this.#random.next() * (delayMs.max - delayMs.min))
  }

  async #attempt(attempt: Attempt): Promise<void> {
    const { delivery } = attempt
    if (delivery.state !== 'pending' && !attempt.duplicate) return
    const data = this.#data(delivery.event)
    const endpoint = data?.collection('webhook_endpoint').get(delivery.endpoint) as
      | WebhookEndpointObject
      | undefined
    const event = data?.collection('event').get(delivery.event.id)
    const secrets = this.#endpoints.get(delivery.endpoint)
    // Stripe: "If your endpoint has been disabled or deleted when Stripe attempts a retry, future
    // retries of that event are prevented."
    if (!data || endpoint?.status !== 'enabled' || event === undefined || secrets === undefined) {
      if (!attempt.duplicate && delivery.state === 'pending') delivery.state = 'abandoned'
      return
    }
    const at = this.#clock.now()
    const outcome = await post(
      {
        url: endpoint.url,
        body: JSON.stringify(event, null, 2),
        secret: secrets.secret,
        fakeV0Secret: secrets.fakeV0Secret,
        timestamp: unixSeconds(this.#clock),
      },
      this.#options.fetch,
      this.#options.timeoutMs,
    )
    this.#record(attempt, at, outcome)
    if (outcome.status >= 200 && outcome.status < 300) this.#succeeded(delivery, data)
    else if (!attempt.duplicate && delivery.state === 'pending') this.#retry(delivery, at, attempt.number)
  }

  #record(attempt: Attempt, at: number, outcome: PostOutcome): void {
    const { delivery } = attempt
    this.#counters.record({
      at,
      endpoint: delivery.endpoint,
      event: delivery.event.id,
      type: delivery.event.type,
      attempt: attempt.number,
      duplicate: attempt.duplicate,
      status: outcome.status,
      ok: outcome.status >= 200 && outcome.status < 300,
      ...(outcome.error === undefined ? {} : { error: outcome.error }),
    })
  }

  /** The first 2xx of a delivery takes it off the event's `pending_webhooks`. */
  #succeeded(delivery: Delivery, data: ModeData): void {
    if (delivery.state === 'succeeded') return
    delivery.state = 'succeeded'
    const events = data.collection('event')
    const event = events.get(delivery.event.id)
    if (event === undefined) return
    const pending = Number((event as StoredObject & { pending_webhooks?: unknown }).pending_webhooks ?? 0)
    const updated = { ...event, pending_webhooks: Math.max(0, pending - 1) }
    events.replace(updated)
  }

  #retry(delivery: Delivery, sentAt: number, number: number): void {
    const delays = delivery.event.livemode ? this.#options.retries.live : this.#options.retries.test
    const delay = delays[delivery.retries]
    if (delay === undefined) {
      delivery.state = 'failed' // stays in pending_webhooks: Stripe counts failed deliveries there too
      return
    }
    delivery.retries++
    this.#queue.add({
      lane: delivery.endpoint,
      delivery,
      number: number + 1,
      at: sentAt + delay,
      duplicate: false,
    })
  }

  #data(event: NewEvent): ModeData | undefined {
    const account = this.#accounts.get(event.account)
    return account === undefined ? undefined : event.livemode ? account.live : account.test
  }
}
