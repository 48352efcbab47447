import type { Clock } from './clock.js'

/** Requests per rolling second, per account and mode (Stripe's published defaults). */
export interface RateLimits {
  /** Read (GET) requests per second in live mode. @default 100 */
  liveReadPerSecond: number
  /** Read (GET) requests per second in test mode. @default 25 */
  testReadPerSecond: number
  /** Write (POST) requests per second in live mode (Stripe counts writes apart). @default 100 */
  liveWritePerSecond: number
  /** Write (POST) requests per second in test mode. @default 25 */
  testWritePerSecond: number
  /** Requests per second to one endpoint (method + path template), any mode. @default 25 */
  perEndpointPerSecond: number
}

/** Stripe's documented default limits. */
export const DEFAULT_RATE_LIMITS: Readonly<RateLimits> = Object.freeze({
  liveReadPerSecond: 100,
  testReadPerSecond: 25,
  liveWritePerSecond: 100,
  testWritePerSecond: 25,
  perEndpointPerSecond: 25,
})

/** Which limit a request would exceed. */
export type RateLimitReason = 'global-rate' | 'endpoint-rate'

const WINDOW_MS = 1000

/**
 * Rolling one-second windows of admitted requests. A refused request does not use up budget, so a
 * client that backs off gets through as soon as the window allows.
 */
export class RateLimiter {
  readonly #limits: RateLimits | false
  readonly #clock: Clock
  readonly #windows = new Map<string, number[]>()

  constructor(limits: RateLimits | false, clock: Clock) {
    this.#limits = limits
    this.#clock = clock
  }

  /** Admits the request (and counts it) or says which limit it would break. */
  admit(request: {
    account: string
    livemode: boolean
    endpoint: string
    write: boolean
  }): RateLimitReason | null {
    if (this.#limits === false) return null
    const now = this.#clock.now()
    const mode = request.livemode ? 'live' : 'test'
    const globalKey = `${request.account}:${mode}:${request.write ? 'write' : 'read'}`
    const endpointKey = `${request.account}:${mode}:${request.endpoint}`
    const globalLimit = request.livemode
      ? request.write
        ? this.#limits.liveWritePerSecond
        : this.#limits.liveReadPerSecond
      : request.write
        ? this.#limits.testWritePerSecond
        : this.#limits.testReadPerSecond
    const global = this.#window(globalKey, now)
    if (global.length >= globalLimit) return 'global-rate'
    const endpoint = this.#window(endpointKey, now)
    if (endpoint.length >= this.#limits.perEndpointPerSecond) return 'endpoint-rate'
    global.push(now)
    endpoint.push(now)
    return null
  }

  /** The window of one bucket with timestamps older than a second dropped. */
  #window(key: string, now: number): number[] {
    let window = this.#windows.get(key)
    if (window === undefined) {
      window = []
      this.#windows.set(key, window)
    }
    let expired = 0
    while (expired < window.length && (window[expired] as number) <= now - WINDOW_MS) expired++
    if (expired > 0) window.splice(0, expired)
    return window
  }
}

/** Checks user-supplied limits: positive integers only. */
export function resolveRateLimits(input: Partial<RateLimits> | false | undefined): RateLimits | false {
  if (input === false) return false
  const limits = { ...DEFAULT_RATE_LIMITS, ...input }
  for (const [name, value] of Object.entries(limits)) {
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(
        `[stripe-simulator] Expected \`rateLimits.${name}\` to be an integer >= 1, got ${value}.`,
      )
    }
  }
  return limits
}
