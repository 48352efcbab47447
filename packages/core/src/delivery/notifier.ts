/**
 * The notifier contract: all a notifier package imports from core. The delivery machinery behind it
 * (queues, retries, outbox) lives elsewhere, so plugins depend on types only.
 */

import type { DigestNotification } from '../digest/types.js'
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
  /** What a notifier's rules noticed (a large sale, the first sale of the day, a milestone), also told in the text. */
  readonly marks?: readonly NotificationMark[]
  /**
   * The notifications this one stands for, oldest first: a burst of sales grouped, or what quiet hours
   * held. `event` is then the first sale's (else the first one's), and `id` is derived from theirs.
   */
  readonly group?: readonly Notification[]
}

/** Something a rule noticed about a sale; see `rules` in the notifier options. */
export type NotificationMark =
  | {
      /** The sale is at least the large-sale amount of its currency. */
      readonly type: 'large_sale'
      /** That amount. */
      readonly threshold: Money
    }
  | {
      /** The first sale of the account's local day. */
      readonly type: 'first_sale_of_day'
      /** The local day, `2026-11-02`. */
      readonly day: string
    }
  | {
      /** The sale took the day's sales of its account and currency past a milestone. */
      readonly type: 'milestone'
      /** The milestone passed. */
      readonly amount: Money
      /** The local day, `2026-11-02`. */
      readonly day: string
    }

/**
 * Anything delivery sends: a notification of one event (`send`), or a digest (`sendDigest`, which has
 * a `digest` field and no `event`).
 */
export type Deliverable = Notification | DigestNotification

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
   * Delivers a digest (a day's or a week's summary). Notifiers without it are not sent digests. The same
   * retries, dead letters and errors apply as for `send`.
   */
  sendDigest?(digest: DigestNotification, context: NotifierContext): Promise<void>
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
