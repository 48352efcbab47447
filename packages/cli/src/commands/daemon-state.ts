/** Where `cashnotify watch` keeps its state: a SQLite file, or the config's Redis store. */
import type { CashNotifyCluster, KeyValueStore, Logger } from '@cashnotify/core'
import type { LoadedConfig } from '../config/load.js'
import { openState } from '../store/open-state.js'
import { redisClusterOf, redisStoreOf } from '../store/redis-state.js'
import { statePath } from './setup.js'

/** Where a `cashnotify watch` keeps its state: the SQLite file (locked), or the config's Redis. */
export interface DaemonState {
  /** The state file, or the Redis URL as messages show it (no password). */
  readonly path: string
  /** What CashNotify is given: the file's store, or the Redis cluster. */
  readonly backing: { readonly store: KeyValueStore } | { readonly cluster: CashNotifyCluster }
  /** Whether it is Redis. */
  readonly clustered: boolean
  /** Closes the file and releases its lock (the cluster is closed by `cn.stop()`). Idempotent. */
  close(): Promise<void>
}

/**
 * Opens the daemon's state: `--state` or the config's file store, or the config's Redis store.
 * @throws {@link ConfigError} for an unusable path, a lock another process holds, or a bad Redis store.
 */
export async function openDaemonState(
  loaded: LoadedConfig,
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
): Promise<DaemonState> {
  const redis = flag === undefined ? redisStoreOf(loaded) : undefined
  if (redis) {
    const cluster = await redisClusterOf(redis, env, logger)
    return { path: cluster.maskedUrl, backing: { cluster }, clustered: true, close: async () => {} }
  }
  const state = openState(statePath(loaded, flag, env), { lock: true })
  return { path: state.path, backing: { store: state.store }, clustered: false, close: () => state.close() }
}
