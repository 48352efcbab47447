/**
 * Clustered mode (`@cashnotify/redis`): CPU share and RSS of the accounts spread over three processes on
 * one redis-server, beside one process alone watching them as the fleet bench does; then failover
 * (bench/cluster-failover.ts). Every CashNotify is a child process, the simulator another.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startRedisServer } from '@cashnotify/redis/testing'
import { benchClusterFailover } from './cluster-failover.js'
import {
  type ProcSample,
  type ProcUse,
  procUse,
  READ_ALLOCATION,
  redisServerPid,
  sampleProc,
  sleep,
  spawnFleet,
  startFleet,
  stopFleet,
} from './cluster-fleet.js'
import type { ClusterConfig } from './cluster-process.js'
import { ADD_CONCURRENCY, FLEET_INTERVAL_MS, stripeProcess } from './fleet.js'
import { printGrid } from './table.js'

/** The sizes measured; BENCH_CLUSTER_ACCOUNTS=1000 picks some. */
const SIZES: readonly number[] = (
  process.env.BENCH_CLUSTER_ACCOUNTS?.split(',').map(Number) ?? [1_000, 10_000]
).filter((n) => n > 0)
/**
 * The poll interval, 60 s; BENCH_CLUSTER_INTERVAL_MS=15000 scales it for quick runs of small fleets. Not
 * by default: at 10,000 accounts every 15 s the simulator serves only about a fifth of the polls on a
 * 2-core machine, and the window would measure a backlog.
 */
const INTERVAL_MS = Number(process.env.BENCH_CLUSTER_INTERVAL_MS ?? FLEET_INTERVAL_MS)
const PROCESSES = 3
/**
 * Clustered first polls follow the leases (a won lease is polled when due): a window of one interval from
 * 1¼ intervals holds one poll of each account, whatever the jitter (±10% a poll).
 */
const WINDOW_FROM = 1.25
const LEASE_TTL_MS = 15_000

/** One run: each CashNotify process's use over the window, and the redis-server's if clustered. */
interface ClusterRun {
  readonly processes: readonly ProcUse[]
  readonly redis?: ProcUse
  /** Successful `GET /v1/events` in the window, and 429s. */
  readonly polls: number
  readonly rateLimited: number
  readonly addMs: number
  readonly errors: number
}

type Stripe = Awaited<ReturnType<typeof stripeProcess>>

/** `processes` children watching the shops [0, accounts): alone (one, no cluster), or clustered on a fresh redis-server. */
async function run(
  stripe: Stripe,
  keysFile: string,
  dir: string,
  accounts: number,
  processes: number,
): Promise<ClusterRun> {
  const redis = processes > 1 ? await startRedisServer() : undefined
  try {
    const configs = Array.from(
      { length: processes },
      (_, p): ClusterConfig => ({
        design: 'cashnotify',
        url: stripe.url,
        keysFile,
        offset: 0,
        accounts,
        storeFile: join(dir, `alone-${accounts}.sqlite`),
        intervalMs: INTERVAL_MS,
        watchMs: 0,
        addConcurrency: ADD_CONCURRENCY,
        readAllocationMonthly: READ_ALLOCATION,
        ...(redis && {
          cluster: {
            redisUrl: redis.url,
            prefix: `bench${accounts}`,
            processId: `p${p}`,
            leaseTtlMs: LEASE_TTL_MS,
          },
        }),
      }),
    )
    const children = await spawnFleet(configs)
    const pids = [...children.map((c) => c.pid), ...(redis ? [redisServerPid(redis.port)] : [])]
    const startedAt = await startFleet(children)
    await sleep(startedAt + WINDOW_FROM * INTERVAL_MS - Date.now())
    const before: ProcSample[] = pids.map(sampleProc)
    await sleep(INTERVAL_MS)
    const after: ProcSample[] = pids.map(sampleProc)
    const uses = pids.map((_, i) => procUse(before[i] as ProcSample, after[i] as ProcSample))
    const stats = await stripe.stats(before[0]?.at ?? 0, after[0]?.at ?? 0, 0, accounts)
    const errors = await stopFleet(children)
    return {
      processes: uses.slice(0, processes),
      ...(redis && { redis: uses[processes] }),
      polls: stats.eventLists,
      rateLimited: stats.rateLimited,
      addMs: Math.max(...children.map((c) => c.addMs)),
      errors: errors + children.reduce((sum, c) => sum + c.addErrors, 0),
    }
  } finally {
    await redis?.stop()
  }
}

const count = (n: number): string => n.toLocaleString('en-US')
const percent = (share: number): string => `${(share * 100).toFixed(1)}%`
const mb = (bytes: number): string => String(Math.round(bytes / 1_000_000))
const mean = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0) / values.length

/** The grid's rows of one size: the lone process, the cluster's processes, its redis-server. */
function rows(accounts: number, alone: ClusterRun, clustered: ClusterRun): string[][] {
  const use = (label: string, r: ClusterRun, uses: readonly ProcUse[]): string[] => {
    const of = (pick: (u: ProcUse) => number): number[] => uses.map(pick)
    return [
      count(accounts),
      label,
      percent(mean(of((u) => u.cpuShare))),
      percent(Math.max(...of((u) => u.cpuShare))),
      mb(mean(of((u) => u.rss))),
      mb(Math.max(...of((u) => u.rss))),
      mb(Math.max(...of((u) => u.peakRss))),
      `${count(r.polls)} of ${count(accounts)} (${count(r.rateLimited)} 429)`,
      `${(r.addMs / 1000).toFixed(1)} s, ${r.errors} errors`,
    ]
  }
  return [
    use('1 process alone (no cluster)', alone, alone.processes),
    use(`${PROCESSES} clustered processes, each`, clustered, clustered.processes),
    [...use('their redis-server', clustered, clustered.redis ? [clustered.redis] : []).slice(0, 7), '', ''],
  ]
}

/** Runs the fleets, alone and clustered at each size, and prints the table; then the failover bench. */
export async function benchCluster(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cashnotify-cluster-'))
  const keysFile = join(dir, 'keys.json')
  const stripe = await stripeProcess(Math.max(...SIZES), keysFile)
  const grid: string[][] = []
  try {
    for (const accounts of SIZES) {
      const alone = await run(stripe, keysFile, dir, accounts, 1)
      const clustered = await run(stripe, keysFile, dir, accounts, PROCESSES)
      grid.push(...rows(accounts, alone, clustered))
    }
  } finally {
    stripe.close()
    rmSync(dir, { recursive: true, force: true })
  }
  const scaled = INTERVAL_MS === FLEET_INTERVAL_MS ? '' : ` (scaled from ${FLEET_INTERVAL_MS / 1000} s)`
  printGrid(
    `Accounts spread over ${PROCESSES} clustered processes on one redis-server, beside one process alone (${INTERVAL_MS / 1000} s poll interval${scaled}; each a child process, the simulator in its own)`,
    [
      'accounts',
      'process',
      'CPU share (mean)',
      'CPU share (max)',
      'RSS MB (mean)',
      'RSS MB (max)',
      'peak RSS MB (max)',
      'polls in window',
      'add time, errors',
    ],
    grid,
    [
      `CPU share is CPU time (user + system, /proc/<pid>/stat) ÷ wall time over one poll interval from ${WINDOW_FROM} intervals after start() — one poll of each account falls in it, the clustered processes' bursts of first polls too; 100% is one core. RSS (VmRSS) at the window's end, peak RSS VmHWM, from /proc/<pid>/status. Clustered rows: the mean and the max over the ${PROCESSES} processes.`,
      ...(scaled === ''
        ? []
        : [
            `Scaled: the poll interval is ${INTERVAL_MS / 1000} s, not ${FLEET_INTERVAL_MS / 1000} s, to keep the bench within minutes (BENCH_CLUSTER_INTERVAL_MS=${FLEET_INTERVAL_MS} measures the real one): polls are ${FLEET_INTERVAL_MS / INTERVAL_MS}× as frequent, so the polls' part of the CPU share is ${FLEET_INTERVAL_MS / INTERVAL_MS}× the 60 s one; the lease rounds (every ${LEASE_TTL_MS / 3_000} s) are not. Where polls in window fall short of the accounts, the simulator could not serve them all: the share measures a backlog.`,
          ]),
      "Baseline, 1 process alone: the fleet bench's CashNotify (bench/fleet-process.ts) — one instance, the daemon's SQLite store, default options but the poll interval (and the read allocation below); first polls spread over the interval.",
      `Clustered: ${PROCESSES} processes, each \`new CashNotify({ cluster: redisCluster({ url, prefix, processId, leaseTtlMs: ${LEASE_TTL_MS} }) })\`, default options but the poll interval, each adding every account (its own \`addAccount\`, ${ADD_CONCURRENCY} at a time, all ${PROCESSES} at once) and polling the third whose leases it holds; started together; a fresh Debian redis-server per run (AOF every second).`,
      'Polls in window: `GET /v1/events` the simulator answered for these shops in the window, all processes together (one an account is the pace asked). Add time: the slowest process. All runs have `readAllocation.monthly` 1e9, so that polls come at the interval: with the default estimate a shop with one sale rests at about 10 minutes between polls.',
    ],
  )
  await benchClusterFailover()
}
