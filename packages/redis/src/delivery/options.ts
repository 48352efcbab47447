/** How notifications are delivered through BullMQ: retries, backoff, concurrency and retention. */

/** Options of the delivery queues and workers; every process of a cluster must use the same. */
export interface DeliveryOptions {
  /** Attempts per notification and notifier, the first included; then it is a dead letter. @default 8 */
  attempts?: number
  /** The wait before the first retry, in ms; it doubles on each retry. @default 1000 */
  backoffMs?: number
  /** The longest wait between two attempts, in ms. @default 600000 (10 minutes) */
  maxBackoffMs?: number
  /** Up to this share of each wait is taken off at random, so retries of many jobs spread out. @default 0.2 */
  jitter?: number
  /** Sends in flight at once per notifier, across every process (BullMQ's global concurrency). @default 4 */
  concurrency?: number
  /**
   * How long a delivered job is kept, in ms: while it is, enqueuing the same notification again is a
   * no-op. Longer than any re-read of old events. @default 604800000 (7 days)
   */
  keepDeliveredMs?: number
}

/** The defaults of {@link DeliveryOptions}. */
export const DELIVERY_DEFAULTS = {
  attempts: 8,
  backoffMs: 1000,
  maxBackoffMs: 600_000,
  jitter: 0.2,
  concurrency: 4,
  keepDeliveredMs: 7 * 24 * 3600 * 1000,
} as const satisfies Required<DeliveryOptions>

/** The backoff type the workers compute (see `retryDelay`). */
export const BACKOFF_TYPE = 'cashnotify'

/**
 * The wait before the next attempt after `attemptsMade` attempts: exponential, capped, with jitter, and
 * never shorter than what the notifier asked for (`retryAfterMs`, e.g. from a `Retry-After` header).
 */
export function retryDelay(
  attemptsMade: number,
  options: Required<DeliveryOptions>,
  error: unknown,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(options.maxBackoffMs, options.backoffMs * 2 ** Math.max(0, attemptsMade - 1))
  const jittered = Math.round(exponential * (1 - options.jitter * random()))
  const asked = (error as { retryAfterMs?: unknown } | undefined)?.retryAfterMs
  return typeof asked === 'number' && Number.isFinite(asked) ? Math.max(jittered, Math.ceil(asked)) : jittered
}
