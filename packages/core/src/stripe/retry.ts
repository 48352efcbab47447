import { sleep } from '../shared/clock.js'
import { DEFAULTS } from '../shared/defaults.js'
import { CashNotifyError } from '../shared/errors.js'

/** When and how often a failed Stripe request is tried again. */
export interface RetryOptions {
  /** Tries after the first one. @default 2 */
  retries?: number
  /** Delay before the first retry; doubles each time. @default 500 */
  baseDelayMs?: number
  /** Upper bound of one delay. @default 30000 */
  maxDelayMs?: number
  /** Source of jitter, injectable for exact tests. @default Math.random */
  random?: () => number
}

/** The delay before retry number `attempt` (1-based): exponential, capped, with "full jitter" in its upper half. */
export function backoffDelay(attempt: number, options: RetryOptions = {}): number {
  const {
    baseDelayMs = DEFAULTS.retry.baseDelayMs,
    maxDelayMs = DEFAULTS.retry.maxDelayMs,
    random = Math.random,
  } = options
  const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/** Whether an error is worth another try: only what CashNotify marked retryable (5xx, network, 429). */
export function isRetryable(error: unknown): boolean {
  return error instanceof CashNotifyError && error.retryable
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or the retries are used up.
 * `onRetry` sees each retryable failure and the delay chosen, e.g. to pause the account's budget.
 */
export async function withRetry<T>(
  attempt: () => Promise<T>,
  options: RetryOptions & { onRetry?: (error: unknown, delayMs: number) => void; signal?: AbortSignal } = {},
): Promise<T> {
  const retries = options.retries ?? DEFAULTS.retry.retries
  for (let tried = 0; ; tried++) {
    try {
      return await attempt()
    } catch (error) {
      if (tried >= retries || !isRetryable(error) || options.signal?.aborted) throw error
      const delay = backoffDelay(tried + 1, options)
      options.onRetry?.(error, delay)
      await sleep(delay, options.signal)
    }
  }
}
