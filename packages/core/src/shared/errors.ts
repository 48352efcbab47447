import { containsSecret, redactSecrets } from './redact.js'

/**
 * Every `code` a {@link CashNotifyError} can carry. Switch on it rather than on classes or messages:
 * codes are part of the public API, messages are for people and may be reworded.
 */
export type CashNotifyErrorCode =
  /** The key is not shaped like a Stripe key (empty, whitespace, wrong prefix, truncated, `Bearer …`). */
  | 'key_malformed'
  /** A publishable key (`pk_…`) was given; CashNotify needs a secret or restricted key. */
  | 'key_publishable'
  /** Stripe does not know the key (401). */
  | 'key_invalid'
  /** Stripe says the key expired (401 `api_key_expired`), e.g. after it was rolled. */
  | 'key_expired'
  /** A key that worked before is now refused by Stripe (401): it was deleted or rolled. */
  | 'key_revoked'
  /** The key lacks a permission the request needs (403). */
  | 'permission_missing'
  /** Stripe answered 429. */
  | 'rate_limited'
  /** Stripe could not be reached or failed on its side (network error, timeout, 5xx, malformed body). */
  | 'stripe_unavailable'
  /** Stripe refused the request for another reason (400, 404 ...). */
  | 'stripe_request_failed'
  /** An option or argument is invalid. */
  | 'config_invalid'
  /** A custom logo is not a png/jpg/gif/ico image, or is too large. */
  | 'logo_invalid'
  /** The account is already watched by this instance (same key, or same Stripe account and mode). */
  | 'account_duplicate'
  /** No account with that id is watched by this instance. */
  | 'account_not_found'
  /** The key cannot watch the account at all (it lacks `rak_event_read`, or strict permissions were asked for). */
  | 'account_refused'
  /** A listener of a CashNotify event threw or rejected; the loop that emitted goes on. */
  | 'listener_failed'
  /**
   * A Stripe event could not be enriched (a value Stripe cannot produce, a shape CashNotify cannot read):
   * it is still emitted as `stripe.event`, no domain event is made of it, and the account goes on.
   */
  | 'event_rejected'
  /** An unexpected failure inside CashNotify (a bug, or the store failing); the `cause` says more. */
  | 'internal'
  /** A notifier could not deliver a notification. */
  | 'notifier_failed'

/** Options every {@link CashNotifyError} accepts. */
export interface CashNotifyErrorOptions {
  /** The machine-readable reason. */
  code: CashNotifyErrorCode
  /** The error this one explains, e.g. the stripe-node error. */
  cause?: unknown
  /** Whether trying the same thing again later can succeed. */
  retryable?: boolean
}

/**
 * The cause as given, unless it holds a key (e.g. an app's listener error that printed one): then a copy
 * with the same name and code whose message, stack and own causes are redacted.
 */
function safeCause(cause: unknown, depth = 0): unknown {
  if (!(cause instanceof Error) || depth > 5) return cause
  const inner = cause.cause === undefined ? undefined : safeCause(cause.cause, depth + 1)
  if (!containsSecret(`${cause.message}\n${cause.stack ?? ''}`) && inner === cause.cause) return cause
  const copy = new Error(redactSecrets(cause.message), inner === undefined ? {} : { cause: inner })
  copy.name = cause.name
  copy.stack = redactSecrets(cause.stack ?? '')
  const { code } = cause as { code?: unknown }
  if (code !== undefined) Object.assign(copy, { code })
  return copy
}

/**
 * The base class of every error CashNotify throws or emits. Messages are redacted in the constructor,
 * so a key passed into a message by mistake never leaves the error.
 */
export class CashNotifyError extends Error {
  /** The machine-readable reason; see {@link CashNotifyErrorCode}. */
  readonly code: CashNotifyErrorCode
  /** Whether trying the same thing again later can succeed. */
  readonly retryable: boolean

  constructor(message: string, options: CashNotifyErrorOptions) {
    super(
      `[cashnotify] ${redactSecrets(message)}`,
      options.cause === undefined ? {} : { cause: safeCause(options.cause) },
    )
    this.name = 'CashNotifyError'
    this.code = options.code
    this.retryable = options.retryable ?? false
  }
}

/** Codes an {@link InvalidKeyError} can carry. */
export type InvalidKeyCode = Extract<
  CashNotifyErrorCode,
  'key_malformed' | 'key_publishable' | 'key_invalid' | 'key_expired' | 'key_revoked'
>

/** The key is unusable: malformed, publishable, or refused by Stripe with 401. Never retryable. */
export class InvalidKeyError extends CashNotifyError {
  /** The machine-readable reason, narrowed to this class's codes. */
  declare readonly code: InvalidKeyCode

  constructor(message: string, options: { code: InvalidKeyCode; cause?: unknown }) {
    super(message, { ...options, retryable: false })
    this.name = 'InvalidKeyError'
  }
}

/** Stripe answered 403: the restricted key lacks a permission. */
export class MissingPermissionError extends CashNotifyError {
  /** The machine-readable reason, narrowed to this class's codes. */
  declare readonly code: 'permission_missing'
  /** The permission Stripe named in its message, e.g. `rak_customer_read`, when it named one. */
  readonly permission: string | undefined

  constructor(message: string, options: { permission: string | undefined; cause?: unknown }) {
    super(message, { code: 'permission_missing', cause: options.cause, retryable: false })
    this.name = 'MissingPermissionError'
    this.permission = options.permission
  }
}

/** Stripe answered 429. Retry after a backoff unless `shouldRetry` is false. */
export class RateLimitedError extends CashNotifyError {
  /** The machine-readable reason, narrowed to this class's codes. */
  declare readonly code: 'rate_limited'
  /** Stripe's `Stripe-Rate-Limited-Reason` header, e.g. `global-rate` or `endpoint-rate`. */
  readonly reason: string | undefined

  constructor(
    message: string,
    options: { reason: string | undefined; shouldRetry: boolean; cause?: unknown },
  ) {
    super(message, { code: 'rate_limited', cause: options.cause, retryable: options.shouldRetry })
    this.name = 'RateLimitedError'
    this.reason = options.reason
  }
}

/** Stripe could not be reached, timed out or failed on its side. Always retryable; never a key problem. */
export class StripeUnavailableError extends CashNotifyError {
  /** The machine-readable reason, narrowed to this class's codes. */
  declare readonly code: 'stripe_unavailable'
  /** The HTTP status when Stripe answered (5xx), absent for network failures. */
  readonly status: number | undefined

  constructor(message: string, options: { status?: number; cause?: unknown }) {
    super(message, { code: 'stripe_unavailable', cause: options.cause, retryable: true })
    this.name = 'StripeUnavailableError'
    this.status = options.status
  }
}

/** Stripe refused the request for a reason other than the key, a permission or a rate limit. */
export class StripeRequestError extends CashNotifyError {
  /** The machine-readable reason, narrowed to this class's codes. */
  declare readonly code: 'stripe_request_failed'
  /** The HTTP status Stripe answered with. */
  readonly status: number | undefined
  /** Stripe's own error code, e.g. `resource_missing`. */
  readonly stripeCode: string | undefined

  constructor(message: string, options: { status?: number; stripeCode?: string; cause?: unknown }) {
    super(message, { code: 'stripe_request_failed', cause: options.cause, retryable: false })
    this.name = 'StripeRequestError'
    this.status = options.status
    this.stripeCode = options.stripeCode
  }
}

/** An option, argument or custom logo is invalid. The zod issue, when there is one, is the `cause`. */
export class ConfigError extends CashNotifyError {
  /** The machine-readable reason, narrowed to this class's codes. */
  declare readonly code: 'config_invalid' | 'logo_invalid'

  constructor(message: string, options: { code?: 'config_invalid' | 'logo_invalid'; cause?: unknown } = {}) {
    super(message, { code: options.code ?? 'config_invalid', cause: options.cause })
    this.name = 'ConfigError'
  }
}

/** An account cannot be added, found or watched. */
export class AccountError extends CashNotifyError {
  /** The machine-readable reason, narrowed to this class's codes. */
  declare readonly code: 'account_duplicate' | 'account_not_found' | 'account_refused'

  constructor(
    message: string,
    options: { code: 'account_duplicate' | 'account_not_found' | 'account_refused'; cause?: unknown },
  ) {
    super(message, options)
    this.name = 'AccountError'
  }
}

/** Options of {@link NotifierError}. */
export interface NotifierErrorOptions {
  /** The notifier's name. */
  notifier: string
  /** Whether trying again can help (a 5xx, a timeout); false for a 4xx or a bad address. @default true */
  retryable?: boolean
  /** When to try again, e.g. from a `Retry-After` header. */
  retryAfterMs?: number
  /** The channel is gone for good (HTTP 410): stop sending to this notifier and say so. @default false */
  disable?: boolean
  /** What failed underneath. */
  cause?: unknown
}

/** A notifier could not deliver. Notifiers throw it to tell delivery what to do next. */
export class NotifierError extends CashNotifyError {
  /** The machine-readable reason, narrowed to this class's codes. */
  declare readonly code: 'notifier_failed'
  /** The notifier's name. */
  readonly notifier: string
  /** When to try again, if the channel said. */
  readonly retryAfterMs: number | undefined
  /** Whether the notifier must not be used again. */
  readonly disable: boolean

  constructor(message: string, options: NotifierErrorOptions) {
    super(`[${options.notifier}] ${message}`, {
      code: 'notifier_failed',
      cause: options.cause,
      retryable: options.retryable ?? true,
    })
    this.name = 'NotifierError'
    this.notifier = options.notifier
    this.retryAfterMs = options.retryAfterMs
    this.disable = options.disable ?? false
  }
}
