/**
 * Every default of every option, in one place: the option schemas, the stages that fill in what was not
 * given, and the tests that hold the JSDoc `@default`s to these values all read them from here.
 */
export const DEFAULTS = {
  /** The shortest interval between two polls of an account, ms. */
  pollInterval: 5_000,
  /** The longest interval between two polls of an account, ms. */
  maxPollInterval: 600_000,
  /** The fraction of an account's Stripe read allocation CashNotify may spend. */
  readAllocation: { share: 0.5 },
  /** How far back each poll re-reads, ms. */
  overlap: 60_000,
  /** Events a newly watched account emits as backfill. */
  backfill: 50,
  /** Longest wait between polls of a failing account, ms. */
  maxBackoff: 300_000,
  /** How long a payment's newest event must be old before its sale goes out incomplete, ms. */
  settle: 2_000,
  /** Refuse keys missing a required permission. */
  strictPermissions: false,
  /** The locale of notification text. */
  locale: 'en-US',
  /** Dead letters kept. */
  maxDeadLetters: 1_000,
  /** How long `stop()` waits for sends in flight, ms. */
  stopTimeout: 10_000,
  /** Each account's request budget: below Stripe's published limits (100/s live, 25/s test and per endpoint). */
  budget: { livePerSecond: 80, testPerSecond: 20, perEndpointPerSecond: 20, concurrency: 8, startFull: true },
  /** Retries of a failed Stripe request. */
  retry: { retries: 2, baseDelayMs: 500, maxDelayMs: 30_000 },
  /** Sales whose look-up failed for a passing reason: how long they wait for it, how long they are completed. */
  enrichment: { holdMs: 30_000, repairForMs: 86_400_000 },
  /**
   * Stripe webhooks: the signature's tolerance (s, stripe-node's), the largest body taken (bytes), the
   * polls' interval while webhooks arrive (ms), and how old an event found only by a poll may be before
   * the webhooks are taken to have missed it (ms).
   */
  webhooks: { tolerance: 300, maxBodyBytes: 1_048_576, reconcileInterval: 900_000, missedAfter: 600_000 },
  /** Look-up caches of enrichment. */
  cache: { ttlMs: 86_400_000, subscriptionTtlMs: 60_000, maxSize: 1_000 },
  /**
   * The way to Stripe: the timeout of one request (ms), and the requests in flight at once for the whole
   * instance, all accounts together (as many keep-alive sockets).
   */
  stripe: { timeout: 20_000, maxInFlight: 64 },
  /** Delivery of each notifier. */
  notifier: { concurrency: 4, timeoutMs: 15_000, attempts: 6, baseDelayMs: 1_000, maxDelayMs: 300_000 },
} as const
