/**
 * The longest event-loop stall (perf_hooks `monitorEventLoopDelay`) of one process while it adds 10,000
 * accounts, and from its start through the first interval, in the fleet runs the memory bench prints.
 */
import {
  ADD_CONCURRENCY,
  FLEET_INTERVAL_MS,
  FLEET_SIZES,
  FLEET_WATCH_MS,
  type FleetRun,
  fleetRuns,
} from './fleet.js'
import { printTable } from './table.js'

const ms = (value: number): number => Math.round(value)

/** Runs the fleets (once per `npm run bench`) and prints the stall table. */
export async function benchStartStall(): Promise<void> {
  const runs = await fleetRuns()
  const size = Math.max(...FLEET_SIZES)
  const ours = runs.cashnotify[size] as FleetRun
  const naive = runs.naive[size] as FleetRun
  const label = size.toLocaleString('en-US')
  const goal = 'goal ≤ 100 ms'
  printTable(
    `Longest event-loop stall, ${label} accounts (${FLEET_INTERVAL_MS / 1000} s poll interval, child process, simulator in its own)`,
    [
      {
        figure: `longest stall while adding ${label} accounts (ms)`,
        cashnotify: ms(ours.stall.adding),
        naive: ms(naive.stall.adding),
        note: goal,
      },
      {
        figure: `longest stall from start() through ${FLEET_WATCH_MS / 1000} s (ms)`,
        cashnotify: ms(ours.stall.watching),
        naive: ms(naive.stall.watching),
        note: goal,
      },
      {
        figure: `after a restart: longest stall while adding (ms)`,
        cashnotify: ms(runs.restart.stall.adding),
        note: goal,
      },
      {
        figure: `after a restart: longest stall from start() (ms)`,
        cashnotify: ms(runs.restart.stall.watching),
        note: goal,
      },
      {
        figure: `time to add ${label} accounts (s)`,
        cashnotify: Number((ours.addMs / 1000).toFixed(1)),
        naive: Number((naive.addMs / 1000).toFixed(1)),
        note: `${ADD_CONCURRENCY} adds in flight`,
      },
    ],
    [
      `monitorEventLoopDelay at 10 ms resolution, reset between adding and start(). Both add ${ADD_CONCURRENCY} accounts at a time.`,
      'CashNotify: `addAccount` (key check, permissions, account, payments estimate), then `start()` with default options but pollInterval 60 s.',
      'Naive: one stripe-node client per account, `accounts.retrieve()` as its key check; `start` sets off every first poll at once (50 events of backfill, then `ending_before` every 60 s, each `charge.succeeded` read for its fee and customer).',
    ],
  )
}
