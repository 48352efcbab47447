import {
  type CashNotifyError,
  InvalidKeyError,
  MissingPermissionError,
  RateLimitedError,
  StripeRequestError,
  StripeUnavailableError,
} from '../shared/errors.js'
import { redactKnownSecrets } from '../shared/redact.js'

/** What stripe-node's errors look like; matched by shape so two copies of stripe-node both work. */
interface StripeErrorLike {
  type?: string
  statusCode?: number
  code?: string
  message?: string
  headers?: Record<string, string | undefined>
}

/** What the caller knows that the error does not. */
export interface StripeErrorContext {
  /** The endpoint that failed, e.g. `GET /v1/events`, for the message. */
  endpoint: string
  /** The key worked before: a 401 now means it was revoked rather than never valid. */
  keyWasValid?: boolean
  /** The secrets the request was sent with: redacted in every form the other side may echo them in. */
  secrets?: readonly string[]
}

/** Fields of stripe-node's errors worth keeping: scalars only, never `raw` bodies or `headers`. */
const KEPT_FIELDS = ['type', 'rawType', 'code', 'statusCode', 'requestId', 'param', 'decline_code'] as const

/**
 * What the caller may keep of an error from the other side of the connection: its name, its message and
 * a few scalar fields, with every secret redacted. A Stripe (or proxy) answer can echo the key anywhere,
 * in its message, its body or its headers; the original error object is never passed on.
 */
function upstreamCause(error: unknown, scrub: (text: string) => string): Error {
  if (!(error instanceof Error)) return new Error(scrub(String(error)))
  const copy = new Error(scrub(error.message))
  copy.name = error.name
  copy.stack = scrub(error.stack ?? '')
  for (const field of KEPT_FIELDS) {
    const value = Reflect.get(error, field)
    if (typeof value === 'string') Object.assign(copy, { [field]: scrub(value) })
    else if (typeof value === 'number') Object.assign(copy, { [field]: value })
  }
  const { code } = error as { code?: unknown }
  if (typeof code === 'string') Object.assign(copy, { code: scrub(code) })
  return copy
}

const PERMISSION_IN_MESSAGE = /Having the '([a-z0-9_]+)' permission/
const ACCOUNT_IN_MESSAGE = /on account '(acct_[A-Za-z0-9]+)'/

/** The permission Stripe names in a 403 message, if it names one. */
export function permissionNamedIn(message: string | undefined): string | undefined {
  return message ? PERMISSION_IN_MESSAGE.exec(message)?.[1] : undefined
}

/** The account id Stripe names in a 403 message: how we learn it without `rak_connected_account_read`. */
export function accountNamedIn(message: string | undefined): string | undefined {
  return message ? ACCOUNT_IN_MESSAGE.exec(message)?.[1] : undefined
}

function asStripeError(error: unknown): StripeErrorLike | undefined {
  if (typeof error !== 'object' || error === null) return undefined
  const type = (error as { type?: unknown }).type
  return typeof type === 'string' && type.startsWith('Stripe') ? (error as StripeErrorLike) : undefined
}

/**
 * Maps anything a Stripe call can throw to the one {@link CashNotifyError} that says what to do about it:
 * 401 → {@link InvalidKeyError}, 403 → {@link MissingPermissionError}, 429 → {@link RateLimitedError},
 * network failures and 5xx → {@link StripeUnavailableError} (retryable, never "invalid key"),
 * anything else → {@link StripeRequestError}.
 */
export function fromStripeError(error: unknown, context: StripeErrorContext): CashNotifyError {
  const stripeError = asStripeError(error)
  const where = context.endpoint
  const scrub = (text: string): string => redactKnownSecrets(text, context.secrets ?? [])
  const cause = upstreamCause(error, scrub)
  if (!stripeError) {
    return new StripeUnavailableError(`Could not reach Stripe (${where}): ${cause.message}`, { cause })
  }
  const status = stripeError.statusCode
  const stripeMessage = scrub(stripeError.message ?? 'no message')

  if (stripeError.type === 'StripeAuthenticationError' || status === 401) {
    if (/publishable API key/i.test(stripeMessage)) {
      return new InvalidKeyError(
        'Stripe refused a publishable key: use the secret key or a restricted key, not the publishable one.',
        { code: 'key_publishable', cause },
      )
    }
    if (stripeError.code === 'api_key_expired') {
      return new InvalidKeyError(
        'Stripe says this API key has expired (it was probably rolled). Create a new restricted key and use it instead.',
        { code: 'key_expired', cause },
      )
    }
    return context.keyWasValid
      ? new InvalidKeyError(
          'Stripe no longer accepts this API key: it was deleted or rolled. Create a new restricted key and add it again.',
          { code: 'key_revoked', cause },
        )
      : new InvalidKeyError(
          'Stripe does not recognise this API key. Check that it was copied whole from the dashboard (Developers → API keys).',
          { code: 'key_invalid', cause },
        )
  }
  if (stripeError.type === 'StripePermissionError' || status === 403) {
    const permission = permissionNamedIn(stripeMessage)
    const needs = permission ? `the \`${permission}\` permission` : 'a permission it does not have'
    return new MissingPermissionError(`The key needs ${needs} for ${where}.`, { permission, cause })
  }
  if (stripeError.type === 'StripeRateLimitError' || status === 429) {
    const headers = stripeError.headers ?? {}
    return new RateLimitedError(`Stripe rate-limited ${where}.`, {
      reason: headers['stripe-rate-limited-reason'],
      shouldRetry: headers['stripe-should-retry'] !== 'false',
      cause,
    })
  }
  // StripeAPIError also covers a 2xx whose body is not JSON: a Stripe-side fault, worth retrying.
  const unavailable = ['StripeConnectionError', 'StripeAPIError'].includes(stripeError.type ?? '')
  if (unavailable || status === undefined || status >= 500) {
    if (status === undefined || stripeError.type === 'StripeConnectionError') {
      return new StripeUnavailableError(`Could not reach Stripe (${where}): ${stripeMessage}`, {
        cause,
      })
    }
    return new StripeUnavailableError(`Stripe is unavailable (${where}, HTTP ${status}): ${stripeMessage}`, {
      status,
      cause,
    })
  }
  return new StripeRequestError(`Stripe refused ${where} (HTTP ${status}): ${stripeMessage}`, {
    status,
    ...(stripeError.code === undefined ? {} : { stripeCode: stripeError.code }),
    cause,
  })
}
