/**
 * One process of a fleet, alone or one of a cluster on a redis-server, measured from the outside (the
 * parent reads its /proc): `node --import tsx bench/cluster-process.ts '<ClusterConfig JSON>'` adds the
 * accounts and prints `{"pid", "addMs", "addErrors"}`; a line `start` on stdin starts it, answered with
 * `{"startedAt"}`; when its stdin closes it stops, prints `{"errors"}` and exits. The parent may also
 * SIGKILL it: a dead process, whose accounts the others take over.
 */
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { silentLogger } from '@cashnotify/core'
import { redisCluster } from '@cashnotify/redis'
import { cashNotifyFleet, eachLimited, type Fleet, type FleetConfig, instanceFleet } from './fleet-process.js'

/** What the parent asks of one child: a fleet as the fleet bench runs it, and its cluster if any. */
export interface ClusterConfig extends FleetConfig {
  /** Clustered: the cluster every process of it joins; none: one process alone, as the fleet bench runs it. */
  readonly cluster?: {
    readonly redisUrl: string
    readonly prefix: string
    readonly processId: string
    readonly leaseTtlMs: number
  }
}

/** The first line a child prints: it added its accounts. */
export interface ClusterChildReady {
  readonly pid: number
  readonly addMs: number
  readonly addErrors: number
}

/** CashNotify on a cluster: default options but the poll interval and read allocation, as the lone process's. */
function clusteredFleet(config: ClusterConfig, cluster: NonNullable<ClusterConfig['cluster']>): Fleet {
  return instanceFleet(config, {
    cluster: redisCluster({
      url: cluster.redisUrl,
      prefix: cluster.prefix,
      processId: cluster.processId,
      leaseTtlMs: cluster.leaseTtlMs,
      logger: silentLogger,
    }),
  })
}

async function main(config: ClusterConfig): Promise<void> {
  const keys = (JSON.parse(readFileSync(config.keysFile, 'utf8')) as string[]).slice(
    config.offset,
    config.offset + config.accounts,
  )
  const fleet = config.cluster ? clusteredFleet(config, config.cluster) : cashNotifyFleet(config)
  const addStart = performance.now()
  const addErrors = await eachLimited(keys, config.addConcurrency, fleet.add)
  const ready: ClusterChildReady = { pid: process.pid, addMs: performance.now() - addStart, addErrors }
  console.log(JSON.stringify(ready))
  const lines = createInterface({ input: process.stdin })
  lines.on('line', (line) => {
    if (line !== 'start') return
    const startedAt = Date.now()
    fleet.start().then(
      () => console.log(JSON.stringify({ startedAt })),
      (error: unknown) => {
        console.error('[bench] A cluster process failed to start:', error)
        process.exit(1)
      },
    )
  })
  lines.on('close', () => {
    void fleet.stop().finally(() => {
      console.log(JSON.stringify({ errors: fleet.errors() }))
      process.exit(0)
    })
  })
}

await main(JSON.parse(process.argv[2] ?? '{}') as ClusterConfig)
