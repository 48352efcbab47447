/** What a failed poll means for an account, and how long its loop waits before the next try. */
import {
  InvalidKeyError,
  MissingPermissionError,
  RateLimitedError,
  StripeUnavailableError,
} from '../shared/errors.js'
import { backoffDelay } from '../stripe/retry.js'
import type { PollerSettings, PollerSink } from './poller-types.js'

/** While Stripe is unreachable, the longest wait between tries, in poll intervals. */
const OUTAGE_RETRY_INTERVALS = 4

/** Reports a failure to the sink; returns whether the loop must stop for good (a revoked or invalid key). */
export function reportFailure(error: unknown, sink: PollerSink): boolean {
  if (error instanceof InvalidKeyError) {
    sink.status('invalid_key', error.message, error)
    return true
  }
  if (error instanceof MissingPermissionError) {
    sink.status('permission_lost', error.message, error)
  } else if (error instanceof RateLimitedError) {
    sink.status('rate_limited', error.message, error)
  } else if (error instanceof StripeUnavailableError) {
    sink.status('stripe_unavailable', error.message, error)
  } else {
    sink.error(error)
  }
  return false
}

/**
 * The wait after `failures` failures in a row: exponential from the poll interval. While Stripe is
 * unreachable (`outage`) it stays within a few intervals (one request per account, no heavier than
 * polling itself), so a return of Stripe is noticed within a few intervals, not after as long as the
 * outage lasted; after a 429 or a lost permission it grows up to `maxBackoff`.
 */
export function failureWait(
  failures: number,
  outage: boolean,
  settings: Pick<PollerSettings, 'pollInterval' | 'maxBackoff' | 'random'>,
): number {
  const { pollInterval, maxBackoff, random } = settings
  const ceiling = outage ? Math.min(maxBackoff, OUTAGE_RETRY_INTERVALS * pollInterval) : maxBackoff
  return backoffDelay(failures, { baseDelayMs: pollInterval, maxDelayMs: ceiling, random })
}
