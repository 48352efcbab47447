/**
 * Clustered mode's contract: what `new CashNotify({ cluster })` needs from many processes sharing one
 * set of accounts. Core defines it and never knows who implements it (`@cashnotify/redis` does), as a
 * notifier package implements `Notifier`.
 */
import { Keyv } from 'keyv'
import type { SharedDeliveryQueues } from '../delivery/shared-queues.js'
import { ConfigError } from '../shared/errors.js'
import type { KeyValueStore } from '../shared/store.js'
import type { SharedBudget } from '../stripe/client.js'

/**
 * One process's part in a cluster of CashNotify instances: leases that give each account to one process
 * at a time, fenced writes, and request budgets shared by every process.
 */
export interface CashNotifyCluster {
  /** This process's id, unique among the cluster's live processes. */
  readonly processId: string
  /** How long a lease lasts unless renewed, ms: the instance asks {@link assign} every third of it. */
  readonly leaseTtlMs: number
  /** The store every process shares; used only once {@link start} resolved. */
  readonly store: KeyValueStore
  /** Connects and joins the cluster; called by `cn.start()`. */
  start(): Promise<void>
  /** Releases every lease, leaves the cluster and closes its connections; called by `cn.stop()`. */
  close(): Promise<void>
  /**
   * Claims, renews and releases leases towards this process's share of `refs`: resolves the accounts this
   * process may poll now, each with its lease's fencing token. Before it releases an account it awaits
   * `yieldAccount(ref)`, which stops that account's polling here, so that two processes never poll it at once.
   */
  assign(
    refs: readonly string[],
    yieldAccount: (ref: string) => Promise<void>,
  ): Promise<ReadonlyMap<string, number>>
  /** Whether the lease `token` on `ref` is still certainly this process's (no I/O: asked before each poll). */
  holds(ref: string, token: number): boolean
  /** The shared store as the holder of lease `token` on `ref` writes it: writes fail once the lease is lost. */
  accountStore(ref: string, token: number): KeyValueStore
  /** An account's request budget, shared by every process of the cluster. */
  budget(account: { readonly ref: string; readonly mode: 'live' | 'test' }): SharedBudget
  /** The delivery queues every process shares (any process sends any notification); used once started. */
  readonly queues: SharedDeliveryQueues
}

/**
 * The instance's own store: the one given (or an in-memory one), or in clustered mode this process's
 * part of the shared store. The rules' holds are kept per process (their index is one key, held in
 * memory); digests read and write the shared store itself ({@link clusterStore}), and delivery goes through
 * the cluster's shared queues ({@link clusterQueues}).
 * @throws {@link ConfigError} when both `store` and `cluster` are given.
 */
export function instanceStore(options: {
  readonly store?: KeyValueStore | undefined
  readonly cluster?: CashNotifyCluster | undefined
}): KeyValueStore {
  const { store, cluster } = options
  if (!cluster) return store ?? new Keyv()
  if (store)
    throw new ConfigError('Pass either `store` or `cluster`, not both: a cluster brings its shared store.', {
      code: 'config_invalid',
    })
  return clusterStore(cluster, `cashnotify:process:${cluster.processId}:`)
}

/**
 * The cluster's shared store under `prefix`, looked up at each call: it exists only once the cluster
 * started, and anew after a restart. Without a prefix, what every process reads and writes (digests).
 */
export function clusterStore(cluster: CashNotifyCluster, prefix = ''): KeyValueStore {
  return {
    get: (key) => cluster.store.get(prefix + key),
    set: (key, value, ttl) => cluster.store.set(prefix + key, value, ttl),
    delete: (key) => cluster.store.delete(prefix + key),
  }
}

/** The cluster's delivery queues, looked up at each call: they exist only once the cluster started. */
export function clusterQueues(cluster: CashNotifyCluster): SharedDeliveryQueues {
  return {
    add: (jobs) => cluster.queues.add(jobs),
    work: (notifier, concurrency, attempt) => cluster.queues.work(notifier, concurrency, attempt),
    deadLetters: () => cluster.queues.deadLetters(),
    replay: (ids) => cluster.queues.replay(ids),
  }
}
