import type Stripe from 'stripe'
import type { Clock } from './clock.js'
import type { KeyKind, KeyMode } from './ids.js'
import type { RateLimits } from './rate-limit.js'
import type { ReadAllocationRules } from './read-allocation.js'
import type { DeliveryFaults, WebhookOptions } from './webhooks/options.js'

/** Options of `StripeSimulator`. */
export interface SimulatorOptions {
  /** Stripe's "now": `created` defaults, 30-day event retention, link expiry, read allocation, webhook retries. @default the wall clock */
  clock?: Clock
  /** Limits per rolling second, or `false` for none. @default DEFAULT_RATE_LIMITS */
  rateLimits?: Partial<RateLimits> | false
  /** Clock of rate-limit windows and request timestamps. @default real monotonic time */
  rateLimitClock?: Clock
  /** Seed of ids, keys, fault probabilities and webhook delivery faults, for runs that repeat exactly. @default random */
  seed?: number
  /**
   * Answer an account's reads (GET requests) beyond its read allocation with a 429, as Stripe may.
   * Off by default: tests and demos read much more, in much less time, than a real month. The counts
   * are kept either way (`sim.readAllocation(account)`). @default false
   */
  enforceReadAllocation?: boolean
  /** The read allocation's figures. @default DEFAULT_READ_ALLOCATION (500 per transaction, at least 10,000) */
  readAllocation?: Partial<ReadAllocationRules>
  /** Webhook delivery: on/off, faults, retry delays, timeout, the `fetch` it uses. */
  webhooks?: WebhookOptions
}

/** Options of `StripeSimulator.createKey`. */
export interface CreateKeyInput {
  /** Account id the key belongs to. */
  account: string
  kind: KeyKind
  mode: KeyMode
  /** Restricted keys only, e.g. `['rak_event_read', 'rak_file_write']`. @default [] */
  permissions?: readonly string[]
}

/** Options of `StripeSimulator.createEvent`. */
export interface CreateEventInput {
  account: string
  livemode: boolean
  /**
   * Any Stripe event type. One Stripe does not list is accepted if named like Stripe's
   * (`widget.created` carrying a `widget`); one that does not exist at `apiVersion` is refused.
   */
  type: Stripe.Event.Type | (string & {})
  /**
   * `data.object`, as rendered at `apiVersion`: an object of the kind the type names (`charge` for
   * `charge.succeeded`, `dispute` for `charge.dispute.created`) with an `id`, and, if it says
   * `livemode`, the event's. Anything else throws, as Stripe never sends such an event.
   */
  object: object
  /** Unix seconds; may lie in the past (the event is placed at its time). @default the simulator clock */
  created?: number
  /** @default the account's API version */
  apiVersion?: string
  /** `evt_` and letters or digits. @default `evt_` + 24 random characters */
  id?: string
  /** `data.previous_attributes` of `*.updated` events. */
  previousAttributes?: object
}

/** Options of `StripeSimulator.addWebhookEndpoint`: what `POST /v1/webhook_endpoints` takes, and faults. */
export interface AddWebhookEndpointInput {
  /** Account id the endpoint belongs to. */
  account: string
  /** Where events are POSTed: an http(s) URL (loopback and plain HTTP are fine here). */
  url: string
  /** Event types to send, or `['*']` for all. @default ['*'] */
  enabledEvents?: readonly string[]
  /** The mode whose events it gets. @default false */
  livemode?: boolean
  /** `api_version` of the endpoint object (events are sent as created, see the README). @default null */
  apiVersion?: string
  /** The endpoint's `description`. @default null */
  description?: string
  /** The endpoint's `metadata`. @default {} */
  metadata?: Record<string, string>
  /** Faults of this endpoint's deliveries. @default the simulator's `webhooks.faults` */
  deliveryFaults?: DeliveryFaults
}
