/**
 * Which processes are alive: each beats a heartbeat into one sorted set, scored by when it expires on
 * Redis's own clock (so the processes' clocks never need to agree), and dead entries are swept out.
 */
import type { Redis } from 'ioredis'
import type { ClusterKeys } from './keys.js'
import { LuaScript } from './lua-script.js'

/** KEYS: processes. ARGV: id, ttl ms. Beats, sweeps the expired, returns the live ids. */
const BEAT = new LuaScript(`
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
return redis.call('ZRANGE', KEYS[1], 0, -1)
`)

/** One process's membership of the cluster. */
export class Membership {
  readonly #redis: Redis
  readonly #keys: ClusterKeys
  readonly #id: string
  readonly #ttlMs: number

  /** `ttlMs`: how long a heartbeat keeps the process counted as alive (the lease TTL). */
  constructor(redis: Redis, keys: ClusterKeys, id: string, ttlMs: number) {
    this.#redis = redis
    this.#keys = keys
    this.#id = id
    this.#ttlMs = ttlMs
  }

  /** Beats and returns the ids of the live processes, this one included, sorted. */
  async beat(): Promise<string[]> {
    const live = (await BEAT.run(this.#redis, [this.#keys.processes], [this.#id, this.#ttlMs])) as string[]
    return [...live].sort()
  }

  /** Leaves at once, so that the others rebalance without waiting for the heartbeat to expire. */
  async leave(): Promise<void> {
    await this.#redis.zrem(this.#keys.processes, this.#id)
  }
}
