/**
 * `cashnotify accounts` with the config's Redis store: which process polls each account now (the holder
 * of its lease), and what it read, from the cluster's shared state. Read only: it claims nothing.
 */
import { redactSecrets, storedReadUsage } from '@cashnotify/core'
import type { LoadedConfig } from '../config/load.js'
import type { RedisStoreConfig } from '../config/schema.js'
import type { RunContext } from '../context.js'
import { defined } from '../notifiers/from-config.js'
import { printableText } from '../output.js'
import { redisClusterOf } from '../store/redis-state.js'
import type { AccountStatusLine } from './accounts.js'

const quiet = { debug() {}, info() {}, warn() {}, error() {} }

/**
 * Adds each account's holder (`null`: no process holds it) and reads. When Redis cannot be reached the
 * lines stay as they are, and a warning says why.
 */
export async function addClusterState(
  lines: AccountStatusLine[],
  store: RedisStoreConfig,
  loaded: LoadedConfig,
  context: RunContext,
): Promise<void> {
  const { pollInterval, maxPollInterval, readAllocation } = loaded.config
  const options = defined({ pollInterval, maxPollInterval, readAllocation })
  try {
    const cluster = await redisClusterOf(store, context.env, quiet)
    await cluster.start()
    try {
      for (const [i, line] of lines.entries()) {
        if (!line.accountId || !line.mode) continue
        const ref = `${line.accountId}/${line.mode}`
        const [held, usage] = await Promise.all([
          cluster.leases.holderOf(ref),
          storedReadUsage(cluster.store, ref, options),
        ])
        const reads = usage && {
          reads: {
            used30d: usage.used30d,
            allocation: usage.allocation,
            share: usage.share,
            projected30d: usage.projected30d,
            interval: usage.interval,
          },
        }
        lines[i] = { ...line, holder: held?.holder ?? null, ...reads }
      }
    } finally {
      await cluster.close()
    }
  } catch (error) {
    const reason = redactSecrets(error instanceof Error ? error.message : String(error))
    context.output.err(printableText(`⚠ Which process holds each account is not known: ${reason}`))
  }
}
