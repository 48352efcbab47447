/**
 * One process watching many accounts, measured from the inside: `node --import tsx bench/fleet-process.ts
 * '<FleetConfig JSON>'` adds the accounts, starts watching them at the interval, watches one interval and
 * a little more, and prints one line of {@link FleetReport} JSON. CashNotify keeps its state in the
 * daemon's SQLite store (a second process on the same file is a restart); the naive design is one
 * stripe-node client per account, its first polls all started at once.
 */

import { readFileSync } from 'node:fs'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { CashNotify, type CashNotifyOptions, silentLogger } from '@cashnotify/core'
import { openState } from '../packages/cli/src/store/open-state.js'
import { NaivePoller } from './naive-poller.js'

/** What the parent asks of one child. */
export interface FleetConfig {
  readonly design: 'cashnotify' | 'naive'
  /** The simulator's URL, and the file its keys are in. */
  readonly url: string
  readonly keysFile: string
  /** The fleet is the keys [offset, offset + accounts) of the file. */
  readonly offset: number
  readonly accounts: number
  /** CashNotify's SQLite file. */
  readonly storeFile: string
  readonly intervalMs: number
  /** How long the accounts are watched after the start, ms. */
  readonly watchMs: number
  /** Accounts being added at once. */
  readonly addConcurrency: number
  /** CashNotify's `readAllocation.monthly` (bench/cluster.ts: enough for polls at the interval). @default the estimate */
  readonly readAllocationMonthly?: number
}

/** What one child measured. */
export interface FleetReport {
  /** RSS before anything was made, after adding, and at the end of the watch, bytes. */
  readonly rss: { readonly empty: number; readonly added: number; readonly watched: number }
  /** The process's peak RSS, bytes. */
  readonly peakRss: number
  /** The longest event-loop stall while adding and while starting and watching, ms. */
  readonly stall: { readonly adding: number; readonly watching: number }
  readonly addMs: number
  /** When the start was called, Unix ms. */
  readonly startedAt: number
  /** Accounts that failed to add, and errors while watching. */
  readonly errors: { readonly add: number; readonly watch: number }
}

/** A fleet of accounts one process watches (bench/cluster-process.ts makes clustered ones). */
export interface Fleet {
  add(key: string): Promise<void>
  start(): Promise<void>
  errors(): number
  stop(): Promise<void>
}

/**
 * CashNotify with default options but the poll interval and read allocation, kept in `where` (a store,
 * or a cluster): the fleet every bench measures, alone or clustered.
 */
export function instanceFleet(
  config: FleetConfig,
  where: Pick<CashNotifyOptions, 'store' | 'cluster'>,
): Fleet {
  const { hostname, port } = new URL(config.url)
  const cn = new CashNotify({
    stripe: { host: hostname, port: Number(port), protocol: 'http' },
    ...where,
    pollInterval: config.intervalMs,
    ...(config.readAllocationMonthly && { readAllocation: { monthly: config.readAllocationMonthly } }),
    logger: silentLogger,
  })
  let errors = 0
  cn.on('error', () => void errors++)
  return {
    add: async (apiKey) => void (await cn.addAccount({ apiKey })),
    start: () => cn.start(),
    errors: () => errors,
    stop: () => cn.stop(),
  }
}

/** One process alone, on the daemon's SQLite store. */
export function cashNotifyFleet(config: FleetConfig): Fleet {
  return instanceFleet(config, { store: openState(config.storeFile, { lock: false }).store })
}

function naiveFleet(config: FleetConfig): Fleet {
  const pollers: NaivePoller[] = []
  const timers: Array<ReturnType<typeof setInterval>> = []
  let errors = 0
  const poll = async (poller: NaivePoller, first: boolean): Promise<void> => {
    try {
      for (const event of first ? await poller.backfill(50) : await poller.poll()) await poller.sale(event)
    } catch {
      errors++
    }
  }
  return {
    add: async (key) => {
      const poller = new NaivePoller(key, config.url)
      await poller.account()
      pollers.push(poller)
    },
    start: async () => {
      for (const poller of pollers) {
        void poll(poller, true)
        timers.push(setInterval(() => void poll(poller, false), config.intervalMs))
      }
    },
    errors: () => errors,
    stop: async () => {
      for (const timer of timers) clearInterval(timer)
    },
  }
}

/** Runs `work` on every item, `concurrency` at a time; counts the failures. */
export async function eachLimited<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<number> {
  let next = 0
  let failed = 0
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++] as T
      await work(item).catch(() => void failed++)
    }
  }
  await Promise.all(Array.from({ length: concurrency }, lane))
  return failed
}

async function main(config: FleetConfig): Promise<FleetReport> {
  const keys = (JSON.parse(readFileSync(config.keysFile, 'utf8')) as string[]).slice(
    config.offset,
    config.offset + config.accounts,
  )
  const empty = process.memoryUsage().rss
  let peak = empty
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss)
  }, 100)
  const delay = monitorEventLoopDelay({ resolution: 10 })
  delay.enable()
  const fleet = config.design === 'cashnotify' ? cashNotifyFleet(config) : naiveFleet(config)
  const addStart = performance.now()
  const addErrors = await eachLimited(keys, config.addConcurrency, fleet.add)
  const addMs = performance.now() - addStart
  const adding = delay.max / 1e6
  const added = process.memoryUsage().rss
  delay.reset()
  const startedAt = Date.now()
  await fleet.start()
  await new Promise((resolve) => setTimeout(resolve, config.watchMs))
  const watching = delay.max / 1e6
  const watched = process.memoryUsage().rss
  delay.disable()
  clearInterval(sampler)
  await fleet.stop()
  return {
    rss: { empty, added, watched },
    peakRss: Math.max(peak, watched, process.resourceUsage().maxRSS * 1024),
    stall: { adding, watching },
    addMs,
    startedAt,
    errors: { add: addErrors, watch: fleet.errors() },
  }
}

// Run as a script; imported (bench/cluster-process.ts reuses its fleets), it runs nothing.
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const report = await main(JSON.parse(process.argv[2] ?? '{}') as FleetConfig)
  console.log(JSON.stringify(report))
  process.exit(0)
}
