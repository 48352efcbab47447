/**
 * Fleets of accounts, each measured in a child process of its own against the simulator in another
 * (bench/stripe-process.ts), so that neither's memory is the other's. The memory and start-up benches
 * read the same runs: one `npm run bench` makes each run once.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { nextLine, spawnBench } from './children.js'
import type { FleetConfig, FleetReport } from './fleet-process.js'
import type { StripeStats } from './stripe-process.js'

/** The fleet sizes measured; BENCH_FLEET_SIZES=1000 picks some (the largest is restarted and stalls). */
export const FLEET_SIZES: readonly number[] = (
  process.env.BENCH_FLEET_SIZES?.split(',').map(Number) ?? [1_000, 10_000]
).filter((n) => n > 0)
export const FLEET_INTERVAL_MS = 60_000
/** One interval and a little: every account's first poll falls inside, whatever the design. */
export const FLEET_WATCH_MS = FLEET_INTERVAL_MS + 5_000
/** Accounts added at once, by both designs (`addAccount` calls in flight; the naive: key checks). */
export const ADD_CONCURRENCY = 100

/** One run: what the child measured, and what the simulator answered while it ran. */
export interface FleetRun extends FleetReport {
  readonly accounts: number
  readonly stripe: StripeStats
}

/** Every run the benches print, by name. */
export interface FleetRuns {
  readonly cashnotify: Readonly<Record<number, FleetRun>>
  readonly naive: Readonly<Record<number, FleetRun>>
  /** CashNotify opened again on the store of the largest fleet. */
  readonly restart: FleetRun
}

/** The simulator in its own process with `accounts` shops; it ends when `close()` closes its stdin. */
export async function stripeProcess(accounts: number, keysFile: string) {
  const sim = spawnBench('bench/stripe-process.ts', [String(accounts), keysFile])
  const { url } = JSON.parse(await nextLine(sim.lines)) as { url: string }
  // One question at a time: each answer is the next line.
  let asked: Promise<unknown> = Promise.resolve()
  return {
    url,
    /** What shops [first, first + count) asked in [from, to), Unix ms. */
    stats: (from: number, to: number, first: number, count: number): Promise<StripeStats> => {
      const answer = asked.then(async () => {
        const line = nextLine(sim.lines)
        sim.stdin.write(`stats ${from} ${to} ${first} ${count}\n`)
        return JSON.parse(await line) as StripeStats
      })
      asked = answer
      return answer
    },
    close: () => sim.stdin.end(),
  }
}

/** Runs one fleet child to its end and returns its report. */
async function fleetProcess(config: FleetConfig): Promise<FleetReport> {
  const run = spawnBench('bench/fleet-process.ts', [JSON.stringify(config)])
  return JSON.parse(await nextLine(run.lines)) as FleetReport
}

let runs: Promise<FleetRuns> | undefined

/**
 * The fleet runs, made at the first call: CashNotify and the naive design at each size, one after the
 * other (the smallest pair side by side: they are light, and no stall of theirs is printed), then
 * CashNotify restarted on the largest fleet's store.
 */
export function fleetRuns(): Promise<FleetRuns> {
  runs ??= makeRuns()
  return runs
}

async function makeRuns(): Promise<FleetRuns> {
  const dir = mkdtempSync(join(tmpdir(), 'cashnotify-fleet-'))
  const largest = Math.max(...FLEET_SIZES)
  const smallest = Math.min(...FLEET_SIZES)
  // Keys [0, largest) for the largest fleets, the rest for the small naive fleet beside the small CashNotify.
  const keysFile = join(dir, 'keys.json')
  const stripe = await stripeProcess(largest + (smallest === largest ? 0 : smallest), keysFile)
  try {
    const run = async (
      design: FleetConfig['design'],
      accounts: number,
      store: string,
      offset = 0,
    ): Promise<FleetRun> => {
      const from = Date.now()
      const report = await fleetProcess({
        design,
        url: stripe.url,
        keysFile,
        offset,
        accounts,
        storeFile: join(dir, `${store}.sqlite`),
        intervalMs: FLEET_INTERVAL_MS,
        watchMs: FLEET_WATCH_MS,
        addConcurrency: ADD_CONCURRENCY,
      })
      return { ...report, accounts, stripe: await stripe.stats(from, Date.now(), offset, accounts) }
    }
    const cashnotify: Record<number, FleetRun> = {}
    const naive: Record<number, FleetRun> = {}
    for (const size of FLEET_SIZES) {
      if (size !== largest && size === smallest) {
        const [ours, theirs] = await Promise.all([
          run('cashnotify', size, `cashnotify-${size}`),
          run('naive', size, `naive-${size}`, largest),
        ])
        cashnotify[size] = ours
        naive[size] = theirs
        continue
      }
      cashnotify[size] = await run('cashnotify', size, `cashnotify-${size}`)
      naive[size] = await run('naive', size, `naive-${size}`)
    }
    const restart = await run('cashnotify', largest, `cashnotify-${largest}`)
    return { cashnotify, naive, restart }
  } finally {
    stripe.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
