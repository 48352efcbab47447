/**
 * Failover: three clustered processes share the accounts, one is SIGKILLed, and for each account it held
 * the time from the kill until another process polls it (`GET /v1/events` in the simulator's log), beside
 * the lease TTL that bounds it. The simulator runs in this process, so its log is read directly; each
 * process has its own key per account, which tells who sent a request.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { OPTIONAL_PERMISSIONS, REQUIRED_PERMISSIONS } from '@cashnotify/core'
import { startRedisServer } from '@cashnotify/redis/testing'
import { type RequestLogEntry, StripeSimulator } from '@cashnotify/stripe-simulator'
import {
  type FleetChild,
  READ_ALLOCATION,
  sleep,
  spawnFleet,
  startFleet,
  stopFleet,
} from './cluster-fleet.js'
import type { ClusterConfig } from './cluster-process.js'
import { ADD_CONCURRENCY } from './fleet.js'
import { percentile, printGrid } from './table.js'

const ACCOUNTS = Number(process.env.BENCH_CLUSTER_FAILOVER_ACCOUNTS ?? 300)
const PROCESSES = 3
/** The default lease TTL, then a shorter one. */
const LEASE_TTLS_MS = [15_000, 5_000] as const
/** Short, so that every account's holder shows soon in the log (a won lease is polled when it is due). */
const INTERVAL_MS = 5_000
const PERMISSIONS = [...REQUIRED_PERMISSIONS, ...OPTIONAL_PERMISSIONS]

/** What one failover measured. */
interface FailoverRun {
  readonly leaseTtlMs: number
  /** Accounts each process polled just before the kill; the first one is killed. */
  readonly shares: readonly number[]
  /** For each of the killed process's accounts, ms from the kill to its next poll (NaN: none in time). */
  readonly delays: readonly number[]
  readonly errors: number
}

/** Live shops with a sale the day before, each with a key per process: keys[p × accounts + i]. */
function shops(sim: StripeSimulator, keysFile: string): Map<string, number> {
  const keys: string[] = Array.from({ length: PROCESSES * ACCOUNTS })
  /** A key's last 4 characters (what the log shows) → its process. */
  const owners = new Map<string, number>()
  const at = Math.floor(Date.now() / 1000) - 86_400
  for (let i = 0; i < ACCOUNTS; i++) {
    const account = sim.createAccount({ businessName: `Shop ${i}` }).id
    sim.business(account, { livemode: true }).sale({ amount: 2_500, currency: 'usd', at })
    for (let p = 0; p < PROCESSES; p++) {
      let key = ''
      // Two keys ending alike would hide who polled: the next one is taken instead.
      do key = sim.createKey({ account, kind: 'restricted', mode: 'live', permissions: PERMISSIONS })
      while (owners.has(key.slice(-4)))
      owners.set(key.slice(-4), p)
      keys[p * ACCOUNTS + i] = key
    }
  }
  writeFileSync(keysFile, JSON.stringify(keys))
  return owners
}

/** Reads the simulator's log: who polled each account. */
function pollsOf(sim: StripeSimulator, owners: ReadonlyMap<string, number>) {
  const polls = (from: number): Array<{ at: number; account: string; owner: number }> =>
    sim.requests.log
      .filter((e: RequestLogEntry) => e.at >= from && e.endpoint === 'GET /v1/events' && e.status === 200)
      .map((e) => ({ at: e.at, account: e.account ?? '', owner: owners.get(e.key?.slice(-4) ?? '') ?? -1 }))
  return {
    /** Each account's pollers since `from`. */
    pollers(from: number): Map<string, Set<number>> {
      const found = new Map<string, Set<number>>()
      for (const { account, owner } of polls(from))
        found.set(account, (found.get(account) ?? new Set()).add(owner))
      return found
    },
    /** Each account's first poll since `from` by another process than `not`, Unix ms. */
    firstPolls(from: number, not: number): Map<string, number> {
      const first = new Map<string, number>()
      for (const { at, account, owner } of polls(from))
        if (owner !== not && !first.has(account)) first.set(account, at)
      return first
    },
  }
}

/** Resolves once `done()` holds, checking every 100 ms, or after `timeoutMs` anyway. */
async function until(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!done() && Date.now() < deadline) await sleep(100)
}

/** Three processes settle on their shares; the first is killed; its accounts' next polls are timed. */
async function failover(leaseTtlMs: number): Promise<FailoverRun> {
  const dir = mkdtempSync(join(tmpdir(), 'cashnotify-failover-'))
  const sim = new StripeSimulator({ seed: 14 })
  const owners = shops(sim, join(dir, 'keys.json'))
  const server = await sim.listen()
  const redis = await startRedisServer()
  let children: FleetChild[] = []
  let stopped = false
  try {
    const config = (p: number): ClusterConfig => ({
      design: 'cashnotify',
      url: server.url,
      keysFile: join(dir, 'keys.json'),
      offset: p * ACCOUNTS,
      accounts: ACCOUNTS,
      storeFile: '',
      intervalMs: INTERVAL_MS,
      watchMs: 0,
      addConcurrency: ADD_CONCURRENCY,
      readAllocationMonthly: READ_ALLOCATION,
      cluster: { redisUrl: redis.url, prefix: 'failover', processId: `p${p}`, leaseTtlMs },
    })
    children = await spawnFleet(Array.from({ length: PROCESSES }, (_, p) => config(p)))
    const log = pollsOf(sim, owners)
    const startedAt = await startFleet(children)
    // Settled: past two lease TTLs, every account polled in the last 1.5 intervals, each by one process.
    const recent = (): Map<string, Set<number>> => log.pollers(Date.now() - 1.5 * INTERVAL_MS)
    const settled = (): boolean =>
      Date.now() > startedAt + 2 * leaseTtlMs &&
      recent().size === ACCOUNTS &&
      [...recent().values()].every((set) => set.size === 1)
    await until(settled, 4 * leaseTtlMs + 6 * INTERVAL_MS)
    const holders = recent()
    const shares = Array.from(
      { length: PROCESSES },
      (_, p) => [...holders.values()].filter((s) => s.has(p)).length,
    )
    const held = [...holders].filter(([, set]) => set.has(0)).map(([account]) => account)
    // At a random point between two of its lease rounds: how long its leases still run depends on it.
    await sleep(Math.random() * (leaseTtlMs / 3))
    const killedAt = Date.now()
    process.kill(children[0]?.pid ?? 0, 'SIGKILL')
    const polledAgain = (): Map<string, number> => log.firstPolls(killedAt, 0)
    await until(() => held.every((a) => polledAgain().has(a)), 4 * leaseTtlMs + 2 * INTERVAL_MS)
    const again = polledAgain()
    const delays = held.map((account) => (again.get(account) ?? Number.NaN) - killedAt)
    stopped = true
    return { leaseTtlMs, shares, delays, errors: await stopFleet(children) }
  } finally {
    if (!stopped) await stopFleet(children)
    await redis.stop()
    await server.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** What `leaseTtlMs` promises: a dead process's accounts move within 1.5 times it. */
const BOUND = 1.5

const seconds = (ms: number): string => (Number.isNaN(ms) ? '—' : (ms / 1000).toFixed(1))

function row(r: FailoverRun): string[] {
  const timed = r.delays.filter((d) => !Number.isNaN(d))
  const max = timed.length === 0 ? Number.NaN : Math.max(...timed)
  return [
    `${r.leaseTtlMs / 1000} s${r.leaseTtlMs === LEASE_TTLS_MS[0] ? ' (default)' : ''}`,
    r.shares.join(' / '),
    `${timed.length} of ${r.delays.length}`,
    seconds(percentile(timed, 50)),
    seconds(percentile(timed, 99)),
    seconds(max),
    timed.length < r.delays.length
      ? `no (${r.delays.length - timed.length} not polled again)`
      : max <= BOUND * r.leaseTtlMs
        ? 'yes'
        : `no (max ${seconds(max - BOUND * r.leaseTtlMs)} s over)`,
    String(r.errors),
  ]
}

/** Runs a failover at each lease TTL and prints the table. */
export async function benchClusterFailover(): Promise<void> {
  const runs: FailoverRun[] = []
  for (const ttl of LEASE_TTLS_MS) runs.push(await failover(ttl))
  printGrid(
    `Failover: ${PROCESSES} clustered processes on ${ACCOUNTS.toLocaleString('en-US')} accounts, one SIGKILLed — time until each of its accounts is polled again`,
    [
      'lease TTL',
      'accounts per process before the kill',
      "killed process's accounts polled again",
      'p50 (s)',
      'p99 (s)',
      'max (s)',
      'within 1.5 × the lease TTL',
      'errors',
    ],
    runs.map(row),
    [
      `Each process is \`new CashNotify({ cluster: redisCluster({ url, prefix, processId, leaseTtlMs }) })\` in a child process, default options but a ${INTERVAL_MS / 1000} s poll interval (so that every account's holder shows in the log soon; a won lease is polled when its last poll says it is due, or within a sixth of the TTL when overdue), with its own restricted key per account; one redis-server; the simulator in the bench process.`,
      `Once the shares settled (each account polled by one process in the last ${(1.5 * INTERVAL_MS) / 1000} s, past two TTLs from the start), the first process (its share the first number) is SIGKILLed: it releases nothing. Time: from the kill to the account's first \`GET /v1/events\` answered 200 from another process's key.`,
      'Bound: 1.5 × the lease TTL — `leaseTtlMs` says "a process that dies loses its accounts to the others within about 1.5 times this": the lease runs out, the others claim it at their next round (every TTL/3), and its first poll is spread over a sixth of the TTL. A process renews all its leases in one round (every TTL/3), so one kill gives nearly one time for all its accounts; it is killed at a random point between two rounds, and the time varies from run to run. Baseline: one process alone has no failover; its accounts wait for it to be restarted.',
      'Errors: `error` events of the surviving processes.',
    ],
  )
}
