const MINUTE = 60_000

/**
 * Stripe's retries, as delays in milliseconds between one attempt and the next. Stripe documents the
 * span, not the steps: "In live mode, Stripe attempts to deliver a given event to your webhook endpoint
 * for up to 3 days with an exponential back off. In test mode, Stripe retries three times over a few
 * hours." Live: doubling from 1 minute, 12 retries, the last about 68 hours after the first attempt.
 * Test: 30 minutes, 1 hour, 2 hours (the last 3.5 hours after the first attempt).
 */
export const DEFAULT_WEBHOOK_RETRIES: Readonly<{ live: readonly number[]; test: readonly number[] }> =
  Object.freeze({
    live: Object.freeze(Array.from({ length: 12 }, (_, i) => MINUTE * 2 ** i)),
    test: Object.freeze([30 * MINUTE, 60 * MINUTE, 120 * MINUTE]),
  })

/**
 * What can go wrong between Stripe and an endpoint that Stripe documents but never does on cue: events
 * arrive late, out of order, or twice. Nothing is injected unless asked; draws come from the simulator's
 * `seed`. Stripe publishes no rates for any of these, so there is no "realistic" preset.
 */
export interface DeliveryFaults {
  /** Chance (0..1) that a delivery is sent a second time (a duplicate, right after the first). @default 0 */
  duplicate?: number
  /**
   * Lateness of each first attempt, in milliseconds of the simulator clock: fixed, or drawn uniformly
   * from `[min, max]` (so that events can overtake one another). @default 0
   */
  delayMs?: number | { min: number; max: number }
  /** Send what is due at the same moment in seeded random order instead of creation order. @default false */
  reorder?: boolean
}

/** Options of webhook delivery, for every endpoint of a simulator. */
export interface WebhookOptions {
  /**
   * Whether the simulator sends deliveries. When false, endpoints exist and events still count the
   * endpoints that should get them in `pending_webhooks`, but nothing is sent. @default true
   */
  deliver?: boolean
  /** Faults of every endpoint that has none of its own. @default none */
  faults?: DeliveryFaults
  /** Delays between attempts, per mode (milliseconds of the simulator clock). @default DEFAULT_WEBHOOK_RETRIES */
  retries?: { live?: readonly number[]; test?: readonly number[] }
  /**
   * How long an attempt may wait for the endpoint's answer, in real milliseconds, before it fails as
   * timed out. Stripe does not publish its timeout. @default 10_000
   */
  timeoutMs?: number
  /** The `fetch` that sends deliveries (real HTTP by default). @default globalThis.fetch */
  fetch?: typeof fetch
}

/** Webhook options with their defaults applied. */
export interface ResolvedWebhookOptions {
  readonly deliver: boolean
  readonly faults: DeliveryFaults
  readonly retries: { readonly live: readonly number[]; readonly test: readonly number[] }
  readonly timeoutMs: number
  readonly fetch: typeof fetch
}

/** Applies the defaults and checks every value. */
export function resolveWebhookOptions(options: WebhookOptions = {}): ResolvedWebhookOptions {
  const timeoutMs = options.timeoutMs ?? 10_000
  if (!(Number.isFinite(timeoutMs) && timeoutMs > 0)) {
    fail(`Expected \`timeoutMs\` to be a finite number > 0, got ${timeoutMs}.`)
  }
  const retries = {
    live: checkRetries(options.retries?.live ?? DEFAULT_WEBHOOK_RETRIES.live, 'live'),
    test: checkRetries(options.retries?.test ?? DEFAULT_WEBHOOK_RETRIES.test, 'test'),
  }
  return {
    deliver: options.deliver ?? true,
    faults: checkFaults(options.faults ?? {}),
    retries,
    timeoutMs,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  }
}

/** Checks delivery faults (thrown as RangeError, at the call that sets them). */
export function checkFaults(faults: DeliveryFaults): DeliveryFaults {
  const { duplicate, delayMs } = faults
  if (duplicate !== undefined && !(duplicate >= 0 && duplicate <= 1)) {
    fail(`Expected \`duplicate\` to be between 0 and 1, got ${duplicate}.`)
  }
  if (typeof delayMs === 'number' && !(Number.isFinite(delayMs) && delayMs >= 0)) {
    fail(`Expected \`delayMs\` to be a finite number >= 0, got ${delayMs}.`)
  }
  if (typeof delayMs === 'object') {
    const { min, max } = delayMs
    if (!(Number.isFinite(min) && Number.isFinite(max) && min >= 0 && max >= min)) {
      fail(`Expected \`delayMs\` as { min, max } with 0 <= min <= max, got { min: ${min}, max: ${max} }.`)
    }
  }
  return { ...faults, ...(typeof delayMs === 'object' ? { delayMs: { ...delayMs } } : {}) }
}

function checkRetries(delays: readonly number[], mode: string): readonly number[] {
  for (const delay of delays) {
    if (!(Number.isFinite(delay) && delay >= 0)) {
      fail(`Expected \`retries.${mode}\` to hold finite delays >= 0 (ms), got ${delay}.`)
    }
  }
  return Object.freeze([...delays])
}

function fail(message: string): never {
  throw new RangeError(`[stripe-simulator] [webhooks] ${message}`)
}
