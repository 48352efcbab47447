/**
 * `redisCluster()`: every building block of clustered mode on one Redis, for one process — leases and
 * their fair division, shared request budgets, the shared (and fenced) store, delivery queues and
 * workers — behind one start and one close.
 */

import type { CashNotifyCluster, KeyValueStore, SharedDeliveryQueues } from '@cashnotify/core'
import type { Redis } from 'ioredis'
import type { Keyv } from 'keyv'
import { claimClusterConfig } from './cluster-config.js'
import { connectRedis, redisFailure } from './connect.js'
import { ClusterQueues } from './delivery/cluster-queues.js'
import { DeliveryQueues } from './delivery/queues.js'
import { type DeliverySend, type DeliveryWorker, startDeliveryWorker } from './delivery/worker.js'
import { leaseLost } from './errors.js'
import { LeaseBalancer } from './fair-share.js'
import { type ClusterKeys, clusterKeys } from './keys.js'
import { type Lease, Leases } from './leases.js'
import { Membership } from './membership.js'
import type { RedisClusterOptions } from './options.js'
import { SharedReadLedger } from './read-ledger.js'
import { fingerprintOf, type ResolvedOptions, resolveOptions } from './resolve-options.js'
import { SharedRequestBudget } from './shared-budget.js'
import { createSharedStore, fencedStore, type SharedStore, type StateStore } from './state-store.js'

/**
 * One process's part in a cluster; see {@link redisCluster}. It is what `new CashNotify({ cluster })`
 * runs on (core's `CashNotifyCluster`), and its blocks can be used directly too.
 */
export interface RedisCluster<N = unknown> extends CashNotifyCluster {
  /** This process's id. */
  readonly processId: string
  /** The URL as messages may show it. */
  readonly maskedUrl: string
  /** The cluster's keys. */
  readonly keys: ClusterKeys
  /** The lease TTL, in ms: call `balancer.tick()` every third of it. */
  readonly leaseTtlMs: number
  /** Connects, checks the prefix's configuration and starts; the rest is usable once it resolved. */
  start(): Promise<void>
  /** Leases on accounts. */
  readonly leases: Leases
  /** This process's fair share of the accounts' leases. */
  readonly balancer: LeaseBalancer
  /** The store every process shares (a Keyv instance). */
  readonly store: Keyv
  /** The store as a leased account's poller must write it: writes refused once the lease is lost. */
  fencedStore(lease: Lease): StateStore
  /**
   * Core's round of leases: {@link LeaseBalancer.tick} (awaiting `yieldAccount` before each release), then
   * the accounts held with a lease still valid, by their fencing token.
   * @throws `RedisClusterError` (`redis_unavailable`) naming the masked URL when Redis does not answer.
   */
  assign(
    refs: readonly string[],
    yieldAccount: (ref: string) => Promise<void>,
  ): Promise<ReadonlyMap<string, number>>
  /**
   * Whether the lease `token` on `ref` is held and valid on this process's clock (no Redis round trip),
   * and the connection to Redis is up: while Redis is away, no lease is trusted.
   */
  holds(ref: string, token: number): boolean
  /**
   * The shared store as the holder of lease `token` on `ref` writes it: reads as usual; writes refused with
   * `RedisClusterError` (`lease_lost`) once the lease is no longer valid here or another process holds it.
   */
  accountStore(ref: string, token: number): KeyValueStore
  /** An account's budget, shared by every process (one per account ref). */
  budget(account: { ref: string; mode: 'live' | 'test' }): SharedRequestBudget
  /** An account's read ledger, shared by every process (one per account ref). */
  readLedger(account: string): SharedReadLedger
  /** The delivery queues as core's clustered delivery uses them (`new CashNotify({ cluster })`). */
  readonly queues: SharedDeliveryQueues
  /** The delivery queues, for direct use. */
  readonly delivery: DeliveryQueues<N>
  /** Starts delivering a notifier's jobs in this process. */
  startWorker(notifier: string, send: DeliverySend<N>): DeliveryWorker
  /** Releases the leases, leaves the cluster, stops the workers, closes every connection. */
  close(): Promise<void>
}

/** What exists once started. */
interface Started<N> {
  readonly commands: Redis
  readonly queues: Redis
  readonly shared: SharedStore
  readonly leases: Leases
  readonly balancer: LeaseBalancer
  readonly delivery: DeliveryQueues<N>
  readonly clusterQueues: ClusterQueues
}

/**
 * Clustered mode on one Redis: every process of a cluster calls it with the same options (and its own
 * `processId`, or the default), then `start()`.
 * @throws `ConfigError` at once for invalid options; `start()` throws `RedisClusterError` when Redis
 * cannot be reached (`redis_unavailable`) or the prefix holds another configuration (`prefix_conflict`).
 * @example
 * ```ts
 * const cluster = redisCluster({ url: 'redis://127.0.0.1:6379', prefix: 'shop' })
 * await cluster.start()
 * const { held } = await cluster.balancer.tick(['acct_1/live', 'acct_2/live'])
 * await cluster.close()
 * ```
 */
export function redisCluster<N = unknown>(options: RedisClusterOptions): RedisCluster<N> {
  const resolved = resolveOptions(options)
  const keys = clusterKeys(resolved.prefix)
  const budgets = new Map<string, SharedRequestBudget>()
  const ledgers = new Map<string, SharedReadLedger>()
  const workers = new Set<DeliveryWorker>()
  let started: Started<N> | undefined
  let starting: Promise<Started<N>> | undefined
  const ready = (): Started<N> => {
    if (started) return started
    throw new Error('[cashnotify] [redis] Call `await cluster.start()` before using the cluster.')
  }
  return {
    processId: resolved.processId,
    maskedUrl: resolved.maskedUrl,
    keys,
    leaseTtlMs: resolved.leaseTtlMs,
    async start() {
      // Callers at once (accounts added side by side) share one start; a failed one may be tried again.
      starting ??= startCluster<N>(resolved, keys).catch((error: unknown) => {
        starting = undefined
        throw error
      })
      started ??= await starting
    },
    get leases() {
      return ready().leases
    },
    get balancer() {
      return ready().balancer
    },
    get store() {
      return ready().shared.keyv
    },
    fencedStore: (lease) => fencedStore(ready().shared, ready().leases, lease),
    assign(refs, yieldAccount) {
      const { balancer, commands } = ready()
      return assign(balancer, refs, yieldAccount).catch((error: unknown) => {
        throw redisFailure(commands, error)
      })
    },
    // While Redis is away no lease is trusted: nothing of a poll could be recorded or fenced anyway.
    holds: (ref, token) =>
      started?.commands.status === 'ready' && validLease(started.balancer, ref, token) !== undefined,
    accountStore: (ref, token) => leasedStore(ready, ref, token),
    budget: (account) =>
      madeOnce(budgets, account.ref, () => {
        const { commands } = ready()
        return new SharedRequestBudget(commands, keys, account, resolved.processId, resolved.budget)
      }),
    readLedger: (account) =>
      madeOnce(ledgers, account, () => new SharedReadLedger(ready().commands, keys, account)),
    get queues() {
      return ready().clusterQueues
    },
    get delivery() {
      return ready().delivery
    },
    startWorker(notifier, send) {
      const worker = startDeliveryWorker(ready().queues, keys, notifier, send, {
        ...resolved.delivery,
        logger: resolved.logger,
      })
      workers.add(worker)
      return worker
    },
    async close() {
      // A start in flight is waited for: what it opens is closed here too.
      const current = started ?? (await starting?.catch(() => undefined))
      started = undefined
      starting = undefined
      // They hold the connection being closed: a later start() makes new ones.
      budgets.clear()
      ledgers.clear()
      if (current) await closeStarted(current, workers)
    },
  }
}

/** Stops the workers, releases the leases, leaves the cluster, and closes every connection. */
async function closeStarted<N>(current: Started<N>, workers: Set<DeliveryWorker>): Promise<void> {
  await Promise.allSettled([...workers].map((worker) => worker.close()))
  workers.clear()
  await Promise.allSettled([current.balancer.stop(), current.delivery.close(), current.clusterQueues.close()])
  await current.shared.close().catch(() => {})
  current.commands.disconnect()
  current.queues.disconnect()
}

async function startCluster<N>(resolved: ResolvedOptions, keys: ClusterKeys): Promise<Started<N>> {
  const connect = (name: string, kind: 'commands' | 'queue'): Promise<Redis> =>
    connectRedis({
      url: resolved.url,
      name,
      kind,
      connectTimeoutMs: resolved.connectTimeoutMs,
      logger: resolved.logger,
      maxReconnectDelayMs: reconnectCeiling(resolved),
    })
  // The first connection tells whether Redis is there at all, before anything else is opened.
  const commands = await connect(`cashnotify:${resolved.processId}`, 'commands')
  try {
    await claimClusterConfig(commands, keys, fingerprintOf(resolved), {
      replace: resolved.replaceConfig,
      maskedUrl: resolved.maskedUrl,
    })
    const queues = await connect(`cashnotify:${resolved.processId}:queues`, 'queue')
    const { url, connectTimeoutMs, logger } = resolved
    const shared = createSharedStore(url, keys.store, connectTimeoutMs, logger, reconnectCeiling(resolved))
    const leases = new Leases(commands, keys, {
      holder: resolved.processId,
      ttlMs: resolved.leaseTtlMs,
      now: Date.now,
    })
    const membership = new Membership(commands, keys, resolved.processId, resolved.leaseTtlMs)
    return {
      commands,
      queues,
      shared,
      leases,
      balancer: new LeaseBalancer(leases, membership),
      delivery: new DeliveryQueues<N>(queues, keys, resolved.delivery),
      clusterQueues: new ClusterQueues(queues, keys, resolved.delivery, resolved.logger),
    }
  } catch (error) {
    commands.disconnect()
    throw error
  }
}

/** The value under `key`, made at its first use. */
function madeOnce<T>(made: Map<string, T>, key: string, make: () => T): T {
  const found = made.get(key)
  if (found !== undefined) return found
  const value = make()
  made.set(key, value)
  return value
}

/**
 * The longest wait between reconnections to Redis: 2 s, or a third of a short lease TTL, so that polling
 * resumes within about a lease TTL of Redis's return.
 */
function reconnectCeiling(resolved: ResolvedOptions): number {
  return Math.min(2000, Math.max(100, Math.round(resolved.leaseTtlMs / 3)))
}

/** The lease `token` on `ref` if this process holds it and it is still valid on its clock. */
function validLease(balancer: LeaseBalancer | undefined, ref: string, token: number): Lease | undefined {
  const lease = balancer?.lease(ref)
  return lease?.token === token && lease.validUntil > Date.now() ? lease : undefined
}

/** One round of the balancer, as core asks it: the accounts held with a valid lease, by fencing token. */
async function assign(
  balancer: LeaseBalancer,
  refs: readonly string[],
  yieldAccount: (ref: string) => Promise<void>,
): Promise<ReadonlyMap<string, number>> {
  const { held } = await balancer.tick(refs, yieldAccount)
  const assigned = new Map<string, number>()
  for (const ref of held) {
    const lease = balancer.lease(ref)
    if (lease && validLease(balancer, ref, lease.token)) assigned.set(ref, lease.token)
  }
  return assigned
}

/** The store of one lease: each write checks the lease here (still valid), then in Redis (still current). */
function leasedStore<N>(ready: () => Started<N>, ref: string, token: number): KeyValueStore {
  const fenced = (): StateStore => {
    const { shared, leases, balancer } = ready()
    const lease = validLease(balancer, ref, token)
    if (!lease) throw leaseLost(ref, token)
    return fencedStore(shared, leases, lease)
  }
  return {
    get: (key) => ready().shared.keyv.get(key),
    set: (key, value, ttl) => fenced().set(key, value, ttl),
    delete: (key) => fenced().delete(key),
  }
}
