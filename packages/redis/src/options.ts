/** The options of clustered mode. */
import type { Logger } from '@cashnotify/core/notifier'
import type { ClusterFingerprint } from './cluster-config.js'
import type { DeliveryOptions } from './delivery/options.js'
import type { SharedBudgetOptions } from './shared-budget.js'

/** The name clustered mode's messages carry: `[cashnotify] [redis] …`. */
export const NAME = 'redis'

/** Options of {@link redisCluster}. */
export interface RedisClusterOptions {
  /**
   * The Redis server: `redis://[user:password@]host[:port][/db]`, or `rediss://` for TLS. Its password is
   * never shown: messages and logs name the URL as `redis://:…@host:port`.
   */
  url: string
  /**
   * The prefix of every key the cluster writes. Two clusters on one Redis need two prefixes; a process
   * whose configuration differs from the one stored under the prefix is refused.
   * @default 'cashnotify'
   */
  prefix?: string
  /**
   * This process's id in the cluster: unique among the live processes, shown in `cashnotify accounts`.
   * @default `<hostname>:<pid>:<random>`
   */
  processId?: string
  /**
   * How long a lease (and a heartbeat) lasts unless renewed, in ms: a process that dies loses its
   * accounts to the others within about 1.5 times this (the lease runs out, their next round, a spread
   * of the first polls). Renew every third of it.
   * @default 15000
   */
  leaseTtlMs?: number
  /** Every account's shared request budget. @default core's: 80 live, 20 test, 20 per endpoint */
  budget?: SharedBudgetOptions
  /** Delivery through BullMQ: attempts, backoff, concurrency, retention. */
  delivery?: DeliveryOptions
  /**
   * More of the configuration that every process must share (e.g. the notifiers' names), beside the
   * lease TTL, budget and delivery settings that are always compared. Never put a secret in it.
   * @default {}
   */
  fingerprint?: ClusterFingerprint
  /**
   * Take the prefix over with this configuration even if another one is stored there: after a change
   * made on purpose, once every process of the old configuration is stopped.
   * @default false
   */
  replaceConfig?: boolean
  /**
   * The longest connecting to Redis may take at start, in ms.
   * @default 5000
   */
  connectTimeoutMs?: number
  /**
   * Where losing and regaining Redis is logged; the URL's password never reaches it.
   * @default warnings and errors to the console
   */
  logger?: Logger
}
