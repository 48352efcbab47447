/**
 * Every Redis key clustered mode writes, under one prefix per cluster, in one place so that two
 * building blocks can never write under the same name.
 */

/** The keys of one cluster. */
export interface ClusterKeys {
  /** The cluster's prefix, e.g. `cashnotify`. */
  readonly prefix: string
  /** A resource's lease: a hash of `holder` and `token`, expiring with the lease. */
  lease(resource: string): string
  /** A resource's fencing counter: never expires, only grows. */
  fence(resource: string): string
  /** The live processes: a sorted set of process ids scored by when their heartbeat expires. */
  readonly processes: string
  /** The cluster's configuration fingerprint. */
  readonly config: string
  /** An account's request window: a sorted set of sends scored by time. */
  budget(account: string): string
  /** An account's request window for one endpoint. */
  budgetEndpoint(account: string, endpoint: string): string
  /** Set while an account's requests are paused (after a 429), expiring when they may resume. */
  budgetPause(account: string): string
  /** An account's reads by hour and kind, and the payments it saw: a hash of counters. */
  reads(account: string): string
  /** The prefix BullMQ's queues live under. */
  readonly queues: string
  /** The namespace of the shared Keyv store. */
  readonly store: string
}

/** The keys of the cluster whose prefix is `prefix`. */
export function clusterKeys(prefix: string): ClusterKeys {
  return {
    prefix,
    lease: (resource) => `${prefix}:lease:${resource}`,
    fence: (resource) => `${prefix}:fence:${resource}`,
    processes: `${prefix}:processes`,
    config: `${prefix}:config`,
    budget: (account) => `${prefix}:budget:${account}`,
    budgetEndpoint: (account, endpoint) => `${prefix}:budget:${account}:endpoint:${endpoint}`,
    budgetPause: (account) => `${prefix}:budget:${account}:pause`,
    reads: (account) => `${prefix}:reads:${account}`,
    queues: `${prefix}:queue`,
    store: `${prefix}:state`,
  }
}
