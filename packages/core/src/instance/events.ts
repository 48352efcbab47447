import type Stripe from 'stripe'
import type { Account, AccountStatus } from '../accounts/account.js'
import type {
  NotificationDeadLetterEvent,
  NotificationDeliveredEvent,
  NotificationRetryEvent,
  NotifierDisabledEvent,
} from '../delivery/index.js'
import type { Digest } from '../digest/types.js'
import type { DomainEvent, DomainEvents } from '../enrich/domain-events.js'
import type { CashNotifyError } from '../shared/errors.js'

/** An account's status changed. */
export interface AccountStatusChange {
  /** The account, with its new status. */
  readonly account: Account
  /** The status before. */
  readonly previous: AccountStatus
  /** The status now. */
  readonly status: AccountStatus
  /** Why, for a person. */
  readonly reason: string
  /** The error behind the change, when there is one. */
  readonly error?: CashNotifyError
}

/** What comes with every raw Stripe event. */
export interface StripeEventContext {
  /** The account the event belongs to. */
  readonly account: Account
  /** True for the events read when the account was first watched (apps usually do not notify on them). */
  readonly backfill: boolean
}

/** A window of time whose events could not be read, e.g. because Stripe's 30-day retention passed. */
export interface Gap {
  /** The account. */
  readonly account: Account
  /** Start of the window. */
  readonly from: Date
  /** End of the window. */
  readonly to: Date
  /** Why, for a person. */
  readonly reason: string
}

/** Each domain event under its own name: `sale`, `refund`, `payout.paid` … */
export type DomainEventListeners = { [K in keyof DomainEvents]: [event: DomainEvents[K]] }

/**
 * Everything a `CashNotify` instance emits: event name → listener arguments.
 * `cn.on('sale', (sale) => …)` infers `sale: SaleEvent`.
 */
export interface CashNotifyEvents extends DomainEventListeners {
  /** Every domain event, whatever its type. */
  event: [event: DomainEvent]
  /** A scheduled digest (the `digests` option): one per account and/or one across the accounts of a mode. */
  digest: [digest: Digest]
  /** An account was added and is watched. */
  'account.added': [account: Account]
  /** An account was removed. */
  'account.removed': [account: Account]
  /** An account's status changed. */
  'account.status': [change: AccountStatusChange]
  /** Every Stripe event of every watched account, once, oldest first per account. */
  'stripe.event': [event: Stripe.Event, context: StripeEventContext]
  /** Events of a time window could not be recovered; polling goes on from the oldest event still there. */
  gap: [gap: Gap]
  /** A notifier delivered a notification. */
  'notification.delivered': [event: NotificationDeliveredEvent]
  /** A send failed and will be tried again. */
  'notification.retry': [event: NotificationRetryEvent]
  /** A notification could not be delivered: it is kept as a dead letter (`cn.deadLetters()`). */
  'notification.dead_letter': [event: NotificationDeadLetterEvent]
  /** A notifier's channel is gone for good (e.g. HTTP 410): it gets nothing more until replayed. */
  'notifier.disabled': [event: NotifierDisabledEvent]
  /**
   * Something failed that the app may want to know: a listener threw, a background step failed.
   * Without an `error` listener these go to the logger.
   */
  error: [error: CashNotifyError]
}

/** The name of an event of {@link CashNotifyEvents}. */
export type CashNotifyEventName = keyof CashNotifyEvents

/** A listener of event `K`: its arguments are typed by {@link CashNotifyEvents}. What it returns is ignored, but a rejected promise is reported. */
export type Listener<K extends CashNotifyEventName> = (...args: CashNotifyEvents[K]) => unknown
