/**
 * The notifier contract: all a notifier package imports from core. The delivery machinery behind it
 * (queues, retries, outbox) lives elsewhere, so plugins depend on types only.
 */
import type { DomainEvent, DomainEventType, EventAccount, Money } from '../enrich/domain-events.js'
import type { NotifierError } from '../shared/errors.js'

/** What a notifier is asked to deliver: one domain event, with ready-made text. */
export interface Notification {
  /** A stable idempotency id: the same event always yields the same id, across retries and restarts. */
  readonly id: string
  /** The domain event type, e.g. `sale`. */
  readonly type: DomainEventType
  /** A short title, e.g. `$49.00 sale · Acme Inc`. */
  readonly title: string
  /** One or two lines of detail, e.g. `jane@example.com (US) · Pro plan · fee $1.72`. */
  readonly body: string
  /** The account the event belongs to (name, mode, logo). */
  readonly account: EventAccount
  /** Live or test data. */
  readonly livemode: boolean
  /** The main amount of the event, when it has one. */
  readonly amount?: Money
  /** The object in the Stripe dashboard, when there is one. */
  readonly url?: string
  /** When the event happened. */
  readonly createdAt: Date
  /** The domain event itself, for notifiers that render their own format. */
  readonly event: DomainEvent
}

/** What delivery gives a notifier with each notification. */
export interface NotifierContext {
  /** Aborted when the send timed out or CashNotify is stopping; pass it to fetch/SMTP calls. */
  readonly signal: AbortSignal
  /** 1 for the first try, then 2, 3 ... */
  readonly attempt: number
}

/** A notifier: a plain object that sends one notification through one channel. */
export interface Notifier {
  /** A short unique name, used in logs, errors and dead letters, e.g. `webhook`. */
  readonly name: string
  /**
   * Delivers the notification; rejects when it could not. Reject with a {@link NotifierError} to say
   * whether a retry can help (`retryable`), when (`retryAfterMs`), or that the channel is gone for good
   * (`disable`); any other error counts as retryable.
   */
  send(notification: Notification, context: NotifierContext): Promise<void>
  /**
   * Sends the channel takes at once when the app sets no `concurrency` of its own: a webhook endpoint takes
   * many, a desktop shows one after another. Without it, delivery's default applies.
   */
  readonly concurrency?: number
  /** Releases what the notifier holds (connections, pools). */
  close?(): Promise<void>
}

/**
 * The shape of every notifier package's export: options in, {@link Notifier} out. When every option is
 * optional, so is the argument (`desktopNotifier()`).
 */
export type NotifierFactory<Options> =
  Partial<Options> extends Options ? (options?: Options) => Notifier : (options: Options) => Notifier
