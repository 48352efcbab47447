/**
 * The config's Redis store: clustered mode (`@cashnotify/redis`). Every `cashnotify watch` with the same
 * Redis and prefix shares the config's accounts, each polled by one process at a time: the leases there
 * replace the state file's lock. `@cashnotify/redis` (BullMQ, ioredis) is loaded only for such a config.
 */
import { ConfigError, type Logger } from '@cashnotify/core'
import type { RedisCluster } from '@cashnotify/redis'
import type { LoadedConfig } from '../config/load.js'
import type { RedisStoreConfig } from '../config/schema.js'
import { defined } from '../notifiers/from-config.js'

/** The config's Redis store, if it has one. */
export function redisStoreOf(loaded: LoadedConfig): RedisStoreConfig | undefined {
  const { store } = loaded.config
  return typeof store === 'object' ? store : undefined
}

/**
 * This process's part in the config's cluster, not started yet (`new CashNotify({ cluster })` starts it).
 * @throws {@link ConfigError} when `redisEnv` names an unset variable, or the URL is not one.
 */
export async function redisClusterOf(
  store: RedisStoreConfig,
  env: Readonly<Record<string, string | undefined>>,
  logger: Logger,
): Promise<RedisCluster> {
  const url = store.redis ?? env[store.redisEnv ?? '']
  if (!url)
    throw new ConfigError(
      `The environment variable ${store.redisEnv ?? ''} (\`store.redisEnv\`) is not set: set it to the Redis URL, e.g. redis://:password@127.0.0.1:6379.`,
    )
  const { redisCluster } = await import('@cashnotify/redis')
  const { prefix, processId, leaseTtlMs } = store
  return redisCluster({ url, logger, ...defined({ prefix, processId, leaseTtlMs }) })
}
