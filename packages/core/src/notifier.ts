/**
 * The notifier contract: all a notifier package imports from core. The delivery machinery behind it
 * (queues, retries, outbox) lives elsewhere, so plugins depend on types only.
 */

/** What a notifier is asked to deliver: one domain event, with ready-made text. */
export interface Notification {
  /** A stable idempotency id: the same event always yields the same id, across retries and restarts. */
  readonly id: string
  /** The domain event type, e.g. `sale`. */
  readonly type: string
  /** A short title, e.g. `$49.00 sale · Acme Inc`. */
  readonly title: string
  /** One or two lines of detail, e.g. `jane@example.com (US) · Pro plan · fee $1.72`. */
  readonly body: string
  /** The account the event belongs to. */
  readonly account: NotificationAccount
  /** The object in the Stripe dashboard, when there is one. */
  readonly url?: string
  /** When the event happened. */
  readonly createdAt: Date
  /** The domain event itself, for notifiers that render their own format. */
  readonly event: unknown
}

/** The account as a notifier sees it. */
export interface NotificationAccount {
  /** The Stripe account id. */
  readonly id: string
  /** The name to show. */
  readonly name: string
  /** `live` or `test`. */
  readonly mode: 'live' | 'test'
  /** A public URL of the account's logo, when it has one. */
  readonly logoUrl?: string
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
  /** Delivers the notification; throws (or rejects) when it could not. */
  send(notification: Notification, context: NotifierContext): Promise<void>
  /** Releases what the notifier holds (connections, pools). */
  close?(): Promise<void>
}

/** The shape of every notifier package's export: options in, {@link Notifier} out. */
export type NotifierFactory<Options> = (options: Options) => Notifier
