/**
 * Shared state through `@keyv/redis`: a Keyv store every process of the cluster reads and writes, and a
 * fenced view of it for one leased account, whose writes are refused once the lease has passed on.
 */
import type { Logger } from '@cashnotify/core/notifier'
import KeyvRedis from '@keyv/redis'
import { Keyv } from 'keyv'
import type { Lease, Leases } from './leases.js'
import { maskRedisUrl, scrubUrl } from './redis-url.js'

/** The store contract of core (`KeyValueStore`): what a `Keyv` instance offers. */
export interface StateStore {
  /** Reads a value. */
  get(key: string): Promise<unknown>
  /** Writes a value, with an optional time to live in ms. */
  set(key: string, value: unknown, ttl?: number): Promise<unknown>
  /** Deletes a value. */
  delete(key: string): Promise<unknown>
}

/** A Keyv store over Redis and the Redis key each of its keys lives under. */
export interface SharedStore {
  /** The Keyv instance: what core takes as its `store`. */
  readonly keyv: Keyv
  /** The Redis key of a Keyv key (`<namespace>::<key>`), for fenced writes. */
  redisKey(key: string): string
  /** Closes the store's connection. */
  close(): Promise<void>
}

/** Logs a store failure at most this often: a lost Redis would otherwise log on every reconnect. */
const LOG_EVERY_MS = 10_000

/**
 * A Keyv store in Redis under `namespace`. Its failures throw (Keyv's default would answer `undefined`,
 * and a cursor read that failed must never look like no cursor); they are logged scrubbed, now and then.
 * Lost, it reconnects with waits doubling from 200 ms up to `maxReconnectDelayMs`.
 */
export function createSharedStore(
  url: string,
  namespace: string,
  connectTimeoutMs: number,
  logger: Logger,
  maxReconnectDelayMs = 2000,
): SharedStore {
  const reconnectStrategy = (attempt: number): number => Math.min(2 ** attempt * 100, maxReconnectDelayMs)
  const adapter = new KeyvRedis(
    { url, socket: { reconnectStrategy } },
    {
      throwOnErrors: true,
      throwOnConnectError: true,
      connectionTimeout: connectTimeoutMs,
    },
  )
  const keyv = new Keyv({ store: adapter, namespace, useKeyPrefix: false, throwOnErrors: true })
  let loggedAt = Number.NEGATIVE_INFINITY
  keyv.on('error', (error: unknown) => {
    if (Date.now() - loggedAt < LOG_EVERY_MS) return
    loggedAt = Date.now()
    const detail = error instanceof Error ? error.message : String(error)
    logger.warn(
      `[cashnotify] [redis] The shared store at ${maskRedisUrl(url)} failed: ${scrubUrl(detail, url)}`,
    )
  })
  return {
    keyv,
    redisKey: (key) => adapter.createKeyPrefix(key, namespace),
    close: () => adapter.disconnect(),
  }
}

/**
 * The shared store as one leased account sees it: reads as usual, writes and deletes only while `lease`
 * is current, each checked and done in one step.
 * @throws from `set` and `delete`: `RedisClusterError` (`lease_lost`) once another process holds the lease.
 */
export function fencedStore(shared: SharedStore, leases: Leases, lease: Lease): StateStore {
  const { keyv } = shared
  return {
    get: (key) => keyv.get(key),
    async set(key, value, ttl) {
      const expires = ttl === undefined || ttl <= 0 ? undefined : Date.now() + ttl
      const data = { value, expires }
      // Written in Keyv's own format, so that Keyv reads it back (and any process's plain store too).
      const serialized = keyv.serialize ? await keyv.serialize(data) : JSON.stringify(data)
      await leases.fencedSet(lease, shared.redisKey(key), String(serialized), ttl ?? 0)
      return true
    },
    async delete(key) {
      await leases.fencedDelete(lease, shared.redisKey(key))
      return true
    },
  }
}
