/**
 * RSS per account and peak RSS of one process watching 1,000 and 10,000 accounts at a 60 s poll interval,
 * and after a restart (a second process opening the same SQLite store), each in a child process of its
 * own, the simulator in another.
 */
import {
  ADD_CONCURRENCY,
  FLEET_INTERVAL_MS,
  FLEET_SIZES,
  FLEET_WATCH_MS,
  type FleetRun,
  fleetRuns,
} from './fleet.js'
import { printTable, type Row } from './table.js'

const count = (n: number): string => n.toLocaleString('en-US')
const kib = (run: FleetRun): number => Math.round((run.rss.watched - run.rss.empty) / run.accounts / 1024)
const mb = (bytes: number): number => Math.round(bytes / 1_000_000)

/** Rows of one fleet size: CashNotify beside the naive design (or nothing, after a restart). */
function rows(label: string, ours: FleetRun, naive: FleetRun | undefined, goal?: string): Row[] {
  const row = (figure: string, value: (run: FleetRun) => number, note?: string): Row => ({
    figure,
    cashnotify: value(ours),
    ...(naive ? { naive: value(naive) } : {}),
    ...(note ? { note } : {}),
  })
  return [
    row(`RSS per account, ${label} (KiB, after one interval, less the empty process)`, kib),
    row(`RSS after one interval, ${label} (MB)`, (run) => mb(run.rss.watched), goal),
    row(`peak RSS, ${label} (MB)`, (run) => mb(run.peakRss), goal),
  ]
}

/** What each run did at Stripe, for the notes. */
function activity(name: string, run: FleetRun): string {
  const { stripe, errors } = run
  return `${name}: ${count(stripe.accountsPolled)} of ${count(run.accounts)} accounts polled, ${count(stripe.requests)} requests (${count(stripe.rateLimited)} answered 429), added in ${(run.addMs / 1000).toFixed(1)} s; ${errors.add} adds failed, ${errors.watch} errors while watching.`
}

/** Runs the fleets (once per `npm run bench`) and prints the memory table. */
export async function benchFleetMemory(): Promise<void> {
  const runs = await fleetRuns()
  const largest = Math.max(...FLEET_SIZES)
  const goal = 'goal ≤ 512 MB'
  const table: Row[] = []
  for (const size of FLEET_SIZES) {
    const ours = runs.cashnotify[size] as FleetRun
    table.push(
      ...rows(`${count(size)} accounts`, ours, runs.naive[size], size === largest ? goal : undefined),
    )
  }
  table.push(...rows(`${count(largest)} accounts after a restart`, runs.restart, undefined, goal))
  printTable(
    `Memory by accounts watched (${FLEET_INTERVAL_MS / 1000} s poll interval; each run a child process, the simulator in its own)`,
    table,
    [
      `Each run adds the accounts (${ADD_CONCURRENCY} at a time), starts, and watches ${FLEET_WATCH_MS / 1000} s: every first poll falls inside. RSS per account is (RSS at the end − RSS of the empty process) ÷ accounts; peak RSS is the process's maximum (getrusage).`,
      "CashNotify: one instance with the daemon's SQLite store (Keyv), default options but pollInterval 60 s; every shop is a live restricted key with a sale the day before. After a restart: a second process adds the same keys on the same store file.",
      'Naive: one stripe-node client per account (`new Stripe(key, { host, port, protocol })`), the key checked with `accounts.retrieve()`, every first poll started at once (50 events of backfill, then `ending_before` every 60 s), each `charge.succeeded` read for its fee and customer; it persists nothing, so it has no restart.',
      ...FLEET_SIZES.flatMap((size) => [
        activity(`CashNotify, ${count(size)}`, runs.cashnotify[size] as FleetRun),
        activity(`naive, ${count(size)}`, runs.naive[size] as FleetRun),
      ]),
      activity(`CashNotify after a restart, ${count(largest)}`, runs.restart),
    ],
  )
}
