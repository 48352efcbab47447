/**
 * One account's request budget shared by every process: a sliding window per account and per endpoint
 * in Redis, checked and recorded in one Lua step on Redis's clock, so that N processes together never
 * send more than the account's caps in any window. Same semantics as core's `RequestBudget`.
 */
import type { Redis } from 'ioredis'
import { redisFailure } from './connect.js'
import type { ClusterKeys } from './keys.js'
import { LuaScript } from './lua-script.js'

/** Caps of a shared budget; the defaults are core's and stay below Stripe's published limits. */
export interface SharedBudgetOptions {
  /** Most requests in any window, live mode (Stripe allows about 100 a second). @default 80 */
  livePerSecond?: number
  /** Most requests in any window, test mode (Stripe allows about 25 a second). @default 20 */
  testPerSecond?: number
  /** Most requests to one endpoint in any window (Stripe allows about 25 a second). @default 20 */
  perEndpointPerSecond?: number
}

/** The budget's defaults, the same as core's. */
export const BUDGET_DEFAULTS = { livePerSecond: 80, testPerSecond: 20, perEndpointPerSecond: 20 } as const

/**
 * Sends are spaced as if Stripe's one-second windows were 1.1 s long: arrivals bunch up by network
 * jitter, and a budget kept exactly at the client would then be exceeded at Stripe's end.
 */
export const WINDOW_MS = 1100

/**
 * KEYS: account window, endpoint window, pause. ARGV: account cap, endpoint cap, window ms, member.
 * Returns 0 when the send was recorded, else the ms to wait before asking again.
 */
const ACQUIRE = new LuaScript(`
local paused = redis.call('PTTL', KEYS[3])
if paused > 0 then return paused end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local window = tonumber(ARGV[3])
local wait = 0
for i, cap in ipairs({tonumber(ARGV[1]), tonumber(ARGV[2])}) do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  if redis.call('ZCARD', KEYS[i]) >= cap then
    local oldest = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
    wait = math.max(wait, tonumber(oldest[2]) + window - now)
  end
end
if wait > 0 then return math.max(1, math.ceil(wait)) end
for i = 1, 2 do
  redis.call('ZADD', KEYS[i], now, ARGV[4])
  redis.call('PEXPIRE', KEYS[i], window)
end
return 0
`)

/** KEYS: pause. ARGV: ms. Pauses for `ms` unless a longer pause is already set. */
const PAUSE = new LuaScript(`
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
return 1
`)

/** One account's budget, as seen by one process. */
export class SharedRequestBudget {
  readonly #redis: Redis
  readonly #keys: ClusterKeys
  readonly #account: string
  readonly #cap: number
  readonly #endpointCap: number
  readonly #holder: string
  #sends = 0

  /** `account`: the account's ref (`acct_…/live`); `holder`: this process's id, unique in the cluster. */
  constructor(
    redis: Redis,
    keys: ClusterKeys,
    account: { ref: string; mode: 'live' | 'test' },
    holder: string,
    options: SharedBudgetOptions = {},
  ) {
    const caps = { ...BUDGET_DEFAULTS, ...options }
    this.#redis = redis
    this.#keys = keys
    this.#account = account.ref
    this.#cap = account.mode === 'live' ? caps.livePerSecond : caps.testPerSecond
    this.#endpointCap = caps.perEndpointPerSecond
    this.#holder = holder
  }

  /**
   * Records one send to `endpoint` (e.g. `GET /v1/events`) if the budget allows: 0, else the ms to wait.
   * @throws `RedisClusterError` (`redis_unavailable`) naming the masked URL when Redis does not answer.
   */
  async tryAcquire(endpoint: string): Promise<number> {
    const keys = [
      this.#keys.budget(this.#account),
      this.#keys.budgetEndpoint(this.#account, endpoint),
      this.#keys.budgetPause(this.#account),
    ]
    // Unique within the cluster: two sends in the same microsecond must both count.
    const member = `${this.#holder}:${++this.#sends}`
    const args = [this.#cap, this.#endpointCap, WINDOW_MS, member]
    // Named as Redis's failure here: the caller would take it for Stripe's (a send that failed).
    const wait = await ACQUIRE.run(this.#redis, keys, args).catch((error: unknown) => {
      throw redisFailure(this.#redis, error)
    })
    return Number(wait)
  }

  /** Waits until one send to `endpoint` fits, and records it. Rejects when Redis fails or `signal` aborts. */
  async acquire(endpoint: string, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted()
      const wait = await this.tryAcquire(endpoint)
      if (wait === 0) return
      // A little jitter, so that processes woken by the same expiry do not all ask at once.
      await sleep(wait + Math.random() * 5, signal)
    }
  }

  /** Runs `send` once the budget allows. */
  async run<T>(endpoint: string, send: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.acquire(endpoint, signal)
    return send()
  }

  /** Holds every process's requests of the account for `ms`, e.g. after a 429. */
  async pauseFor(ms: number): Promise<void> {
    const args = [Math.max(1, Math.ceil(ms))]
    await PAUSE.run(this.#redis, [this.#keys.budgetPause(this.#account)], args).catch((error: unknown) => {
      throw redisFailure(this.#redis, error)
    })
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(done, ms)
    function done(): void {
      signal?.removeEventListener('abort', aborted)
      resolve()
    }
    function aborted(): void {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    signal?.addEventListener('abort', aborted, { once: true })
  })
}
