/**
 * The public types of delivery: how each notifier is configured, what a dead letter holds, and what
 * delivery reports. The machinery lives in the other files of this folder.
 */
import type { DigestNotification } from '../digest/types.js'
import type { DomainEvent, DomainEventType } from '../enrich/domain-events.js'
import type { CashNotifyError, NotifierError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import type { KeyValueStore } from '../shared/store.js'
import type { Deliverable, Notification, Notifier } from './notifier.js'
import type { FormatHook, FormatOptions } from './text/format.js'

/** Which events a notifier is told about. Every criterion given must match. */
export interface DeliveryFilter {
  /** Only these accounts: Stripe account ids (`acct_…`, both modes) or refs (`acct_…/live`). @default every account */
  readonly accounts?: readonly string[]
  /** Only these event types. @default every type but `sale.updated`, which a notifier gets only when named here */
  readonly types?: readonly DomainEventType[]
  /**
   * Smallest amount notified, per currency, in minor units: `{ usd: 10_000 }` skips sales under $100.
   * Events in other currencies are not affected; subscription events count the price of one period.
   * @default no minimum
   */
  readonly minAmount?: Readonly<Record<string, number>>
  /** Live events, test events, or both. @default 'both' */
  readonly mode?: 'live' | 'test' | 'both'
  /** Also notify the events read when an account is first watched (its last 50). @default false */
  readonly backfill?: boolean
  /**
   * Send digests to this notifier (when it has `sendDigest`). `accounts` and `mode` apply to digests
   * too: a notifier limited to some accounts gets their own digests, not those across all accounts.
   * @default true
   */
  readonly digests?: boolean
}

/** How a failed send is tried again: exponential backoff with jitter, capped. */
export interface DeliveryRetryOptions {
  /** Tries in all, the first included; after the last, the notification becomes a dead letter. @default 6 */
  readonly attempts?: number
  /** Delay before the first retry; doubles each time, and a random part of it is jitter. @default 1000 */
  readonly baseDelayMs?: number
  /** Upper bound of one delay (a `Retry-After` given by the channel is honoured even when longer). @default 300000 */
  readonly maxDelayMs?: number
}

/** How one notifier is fed: `cn.use(notifier, options)`. */
export interface NotifierOptions {
  /**
   * The name delivery knows the notifier by (dead letters, events, the outbox), instead of its own:
   * how two notifiers of one kind — your webhook and a Slack one — are told apart. @default its `name`
   */
  readonly name?: string
  /** Which events it gets. @default every live and test event, except backfilled ones */
  readonly filter?: DeliveryFilter
  /**
   * Sends in flight at once for this notifier: several, so that one slow round trip does not hold the
   * next; 1 sends strictly one after another. @default 4 (or the notifier's own `concurrency`)
   */
  readonly concurrency?: number
  /** Longest one send may take, in ms; then its `signal` aborts and the send counts as failed. @default 15000 */
  readonly timeoutMs?: number
  /** Retries of failed sends. */
  readonly retry?: DeliveryRetryOptions
}

/** Options of `delivery.stop()`. */
export interface DeliveryStopOptions {
  /**
   * How long to wait for sends in flight, in ms; then they are aborted, and their notifications stay in
   * the outbox for the next start (a receiver may then get one of them twice, with the same id).
   * @default 10000
   */
  readonly timeoutMs?: number
  /** Call each notifier's `close()` at the end; `false` keeps them usable for a later `start()`. @default true */
  readonly close?: boolean
}

/** Why a dead letter failed, redacted: it never holds a key or a webhook secret. */
export interface DeadLetterError {
  /** The error's `code`: `notifier_failed` for a {@link NotifierError}, else e.g. `ECONNREFUSED`. */
  readonly code: string
  /** The error's message, redacted. */
  readonly message: string
}

/** A notification a notifier could not deliver, after its last attempt or a final error. */
export interface DeadLetter {
  /** The dead letter's id, `${notifier}:${notification.id}`: pass it to `replay()`. */
  readonly id: string
  /** The notifier's name. */
  readonly notifier: string
  /** What was to be delivered, as the notifier got it: a notification, or a digest. */
  readonly notification: Deliverable
  /** How many sends were tried. */
  readonly attempts: number
  /** The last error. */
  readonly error: DeadLetterError
  /** When the notification was accepted for delivery. */
  readonly acceptedAt: Date
  /** When it became a dead letter. */
  readonly failedAt: Date
}

/** A notifier delivered a notification. */
export interface NotificationDeliveredEvent {
  /** What happened. */
  readonly type: 'delivered'
  /** The notifier's name. */
  readonly notifier: string
  /** What was delivered: a notification, or a digest (it has `digest` instead of `event`). */
  readonly notification: Deliverable
  /** The attempt that succeeded: 1 for the first. */
  readonly attempt: number
}

/** A send failed and will be tried again. */
export interface NotificationRetryEvent {
  /** What happened. */
  readonly type: 'retry'
  /** The notifier's name. */
  readonly notifier: string
  /** What is being delivered: a notification, or a digest. */
  readonly notification: Deliverable
  /** The attempt that failed: 1 for the first. */
  readonly attempt: number
  /** When the next attempt is, in ms from now. */
  readonly delayMs: number
  /** Why it failed. */
  readonly error: NotifierError
}

/** A notification became a dead letter. */
export interface NotificationDeadLetterEvent {
  /** What happened. */
  readonly type: 'dead_letter'
  /** The dead letter, as `deadLetters()` lists it. */
  readonly deadLetter: DeadLetter
  /** The last error. */
  readonly error: NotifierError
}

/**
 * A notifier said its channel is gone for good (e.g. HTTP 410): it gets nothing more until its dead
 * letters are replayed. What was waiting for it, and what is accepted for it meanwhile, become dead letters.
 */
export interface NotifierDisabledEvent {
  /** What happened. */
  readonly type: 'notifier_disabled'
  /** The notifier's name. */
  readonly notifier: string
  /** The error that disabled it. */
  readonly error: NotifierError
}

/** Something failed around the sends: the store, a format hook, a notifier's `close()`. */
export interface DeliveryErrorEvent {
  /** What happened. */
  readonly type: 'error'
  /** What failed. */
  readonly error: CashNotifyError
}

/** Everything delivery reports, by `type`. */
export type DeliveryEvent =
  | NotificationDeliveredEvent
  | NotificationRetryEvent
  | NotificationDeadLetterEvent
  | NotifierDisabledEvent
  | DeliveryErrorEvent

/** Options of `new Delivery()`. */
export interface DeliveryOptions extends Pick<FormatOptions, 'privacy' | 'locale' | 'timeZone'> {
  /** Where the outbox, delivered markers and dead letters are kept: a Keyv instance. */
  readonly store: KeyValueStore
  /** Where delivery logs (already redacting). */
  readonly logger: Logger
  /** Receives every {@link DeliveryEvent}; must not throw (what it throws is logged). */
  readonly onEvent: (event: DeliveryEvent) => void
  /** The clock, ms since epoch. @default Date.now */
  readonly now?: () => number
  /** Source of jitter in [0, 1). @default Math.random */
  readonly random?: () => number
  /** Rewrites the default text of each notification. */
  readonly format?: FormatHook
  /** Most dead letters kept; beyond it the oldest are dropped (and logged). @default 1000 */
  readonly maxDeadLetters?: number
}

/**
 * What an instance asks of its delivery: one process's outbox in its store (`Delivery`), or in clustered
 * mode the queues every process shares (`SharedDelivery`). Both keep the same promises: an accepted
 * notification is persisted before `accept` resolves, and sent at least once, with a stable id.
 */
export interface DeliveryService {
  /** Whether sends are running (between `start()` and `stop()`). */
  readonly running: boolean
  /** The names of the notifiers in use, in the order they were added. */
  notifiers(): string[]
  /** Adds a notifier. @throws {@link ConfigError} when it or an option is invalid, or its name is taken. */
  use(notifier: Notifier, options?: NotifierOptions): void
  /** Takes an event for the notifiers whose filter matches, but those in `except`; resolves once persisted. */
  accept(event: DomainEvent, options?: { readonly except?: ReadonlySet<string> }): Promise<void>
  /** Takes a digest for the notifiers that have `sendDigest` and let digests through. */
  acceptDigest(notification: DigestNotification): Promise<void>
  /** Takes a ready notification (what rules held, released) for these notifiers. */
  enqueue(notification: Notification, notifiers: readonly string[]): Promise<void>
  /** Starts sending, beginning with what waits from before. */
  start(): Promise<void>
  /** Stops sending; what is in flight after `timeoutMs` is aborted and sent again later. */
  stop(options?: DeliveryStopOptions): Promise<void>
  /** The notifications that could not be delivered, oldest first. */
  deadLetters(): Promise<DeadLetter[]>
  /** Sends dead letters again (every one when `ids` is omitted); resolves how many were queued. */
  replay(ids?: readonly string[]): Promise<number>
}
