/**
 * Reads a month: what shops with 20, 500 and 5,000 sales a month spend of Stripe's read allocation
 * (`max(10,000, 500 × payments of 30 days)` GETs), watched three ways on the same simulator and the
 * same sales — CashNotify's default pacing, CashNotify with webhooks pushing (polls only reconcile),
 * and a naive poller reading `GET /v1/events` every 5 s. Fake time: days run in seconds.
 *
 * Steady state is measured over whole sale intervals after a warm-up of one (the first push makes
 * webhooks live), and scaled to 30 days; BENCH_FULL_MONTH=1 simulates the 30 days whole (minutes).
 */
import type { AccountStatusChange, CashNotify } from '@cashnotify/core'
import { DEFAULTS } from '../packages/core/src/shared/defaults.js'
import { NaivePoller } from './naive-poller.js'
import {
  InProcessStripe,
  installFakeTime,
  MONTH_MS,
  median,
  seeded,
  shopWithHistory,
  watch,
} from './simulated-shops.js'
import { printGrid } from './table.js'

/** Sales a month of each shop; BENCH_SHOPS=20,500 picks some. */
const SHOPS = (process.env.BENCH_SHOPS?.split(',').map(Number) ?? [20, 500, 5_000]).filter((n) => n > 0)
const FULL_MONTH = process.env.BENCH_FULL_MONTH === '1'
/** Sale intervals measured after the warm-up, at least; and the shortest window they make. */
const INTERVALS = Number(process.env.BENCH_SALE_INTERVALS ?? 4)
const MIN_WINDOW_MS = 4 * 3_600_000
/** The naive poller's reads are the same every 5 s: a couple of hours measure them. */
const NAIVE_WINDOW_MS = 2 * 3_600_000
const NAIVE_INTERVAL_MS = 5_000
const WEBHOOK_URL = 'https://shop.example/stripe/webhooks'

/**
 * Polls come every `pollInterval` for a minute after a sale only while the last 24 hours left room in a
 * day's share: a shop whose polls at rest are slower than that is measured after its first day.
 */
function warmUpMs(restInterval: number): number {
  return restInterval > DEFAULTS.pollInterval ? 25 * 3_600_000 : 0
}

/** One shop size's month, three ways. */
interface Month {
  readonly salesPerMonth: number
  readonly allocation: number
  /** Reads in 30 days. */
  readonly naive: number
  readonly paced: number
  readonly pushed: number
  /** The median time between two polls of the paced account, ms. */
  readonly pacedGap: number
  /** Sales emitted (not backfill) by each instance, and how many were made. */
  readonly emitted: { readonly paced: number; readonly pushed: number; readonly made: number }
  readonly statuses: readonly string[]
}

/** Counts the sales an instance emits and the status changes of its accounts. */
function observe(cn: CashNotify, statuses: string[]): () => number {
  let sales = 0
  cn.on('sale', (sale) => void (sale.backfill || sales++))
  cn.on('account.status', (change: AccountStatusChange) =>
    statuses.push(`${change.account.name}: ${change.status}`),
  )
  return () => sales
}

/** Runs `actions` at their times on the fake clock, in order. */
async function timeline(
  tick: (ms: number) => Promise<void>,
  actions: ReadonlyArray<readonly [at: number, run: () => void | Promise<void>]>,
): Promise<void> {
  for (const [at, run] of [...actions].sort((a, b) => a[0] - b[0])) {
    await tick(Math.max(0, Math.round(at - Date.now())))
    await run()
  }
}

async function month(salesPerMonth: number, seed: number): Promise<Month> {
  const time = installFakeTime()
  try {
    const stripe = new InProcessStripe(seed)
    const random = seeded(seed)
    const shops = {
      paced: shopWithHistory(stripe, salesPerMonth, 'Paced'),
      pushed: shopWithHistory(stripe, salesPerMonth, 'Pushed'),
      naive: shopWithHistory(stripe, salesPerMonth, 'Naive'),
    }
    const hook = stripe.sim.addWebhookEndpoint({ account: shops.pushed.id, url: WEBHOOK_URL, livemode: true })
    const statuses: string[] = []
    const paced = stripe.cashNotify(random)
    const pushed = stripe.cashNotify(random)
    stripe.route(WEBHOOK_URL, pushed.webhookHandler())
    const emitted = { paced: observe(paced, statuses), pushed: observe(pushed, statuses) }
    const pacedAccount = await watch(paced, time, { apiKey: shops.paced.key })
    await watch(pushed, time, { apiKey: shops.pushed.key, webhookSecret: hook.secret })
    const naive = new NaivePoller(shops.naive.key, { fetch: stripe.fetch })

    const gap = MONTH_MS / salesPerMonth
    const intervals = FULL_MONTH ? salesPerMonth : Math.max(INTERVALS, Math.ceil(MIN_WINDOW_MS / gap))
    const warmUp = FULL_MONTH
      ? 1
      : Math.max(1, Math.ceil(warmUpMs(paced.readUsage(pacedAccount).interval) / gap))
    const t0 = Date.now()
    const from = t0 + warmUp * gap
    const to = from + intervals * gap
    const naiveTo = FULL_MONTH ? to : from + Math.min(NAIVE_WINDOW_MS, to - from)
    let naiveTimer: ReturnType<typeof setInterval> | undefined
    const sales = Array.from({ length: warmUp + intervals }, (_, i) => [
      t0 + (i + 0.5) * gap,
      () => {
        for (const shop of Object.values(shops)) shop.sell()
      },
    ])
    await timeline(time.tick, [
      ...(sales as Array<[number, () => void]>),
      // Its polls come at `from`, every 5 s after it, until `naiveTo`.
      [
        from - NAIVE_INTERVAL_MS,
        async () => {
          await naive.backfill(1)
          naiveTimer = setInterval(() => void naive.poll(), NAIVE_INTERVAL_MS)
        },
      ],
      [naiveTo, () => clearInterval(naiveTimer)],
      [to, () => undefined],
    ])
    await Promise.all([paced.stop(), pushed.stop()])

    const scale = (window: number): number => MONTH_MS / window
    const polls = stripe.reads(shops.paced.id, from, to, '/v1/events')
    return {
      salesPerMonth,
      allocation: stripe.sim.readAllocation(shops.paced.id).allocation,
      naive: stripe.reads(shops.naive.id, from, naiveTo).length * scale(naiveTo - from),
      paced: stripe.reads(shops.paced.id, from, to).length * scale(to - from),
      pushed: stripe.reads(shops.pushed.id, from, to).length * scale(to - from),
      pacedGap: median(polls.slice(1).map((at, i) => at - (polls[i] ?? at))),
      emitted: { paced: emitted.paced(), pushed: emitted.pushed(), made: warmUp + intervals },
      statuses,
    }
  } finally {
    time.uninstall()
  }
}

const count = (n: number): string => Math.round(n).toLocaleString('en-US')
const share = (reads: number, allocation: number): string => {
  const percent = (100 * reads) / allocation
  return `${percent >= 100 ? count(percent) : percent.toPrecision(2)} %`
}
const minutes = (ms: number): string =>
  ms >= 60_000 ? `${(ms / 60_000).toFixed(1)} min` : `${Math.round(ms / 1000)} s`

/** Runs the month of each shop and prints the table. */
export async function benchReadAllocation(): Promise<void> {
  const months: Month[] = []
  for (const [i, sales] of SHOPS.entries()) months.push(await month(sales, 40 + i))
  const cell = (reads: number, m: Month): string => `${count(reads)} (${share(reads, m.allocation)})`
  const rows = months.map((m) => [
    `${count(m.salesPerMonth)} sales/month`,
    count(m.allocation),
    cell(m.naive, m),
    cell(m.paced, m),
    minutes(m.pacedGap),
    cell(m.pushed, m),
  ])
  const lost = months.filter((m) => m.emitted.paced !== m.emitted.made || m.emitted.pushed !== m.emitted.made)
  const statuses = months.flatMap((m) => m.statuses)
  printGrid(
    "Reads in 30 days, and their share of the account's Stripe read allocation (simulator, fake time)",
    [
      'shop',
      'allocation',
      'naive, GET every 5 s',
      'CashNotify, paced',
      'paced: median poll gap',
      'CashNotify + webhooks',
    ],
    rows,
    [
      FULL_MONTH
        ? 'Each shop simulated for 30 days, sales evenly spaced, after a month of sales.'
        : `Steady state: whole sale intervals (at least ${INTERVALS}, at least ${MIN_WINDOW_MS / 3_600_000} h) after a month of sales and a warm-up (one interval, and the first day of a shop polled slower than pollInterval), scaled to 30 days (the naive poller: ${NAIVE_WINDOW_MS / 3_600_000} h). BENCH_FULL_MONTH=1 simulates the 30 days whole.`,
      'Allocation: max(10,000, 500 × the live payments of the last 30 days), counted by the simulator; every GET counts.',
      'Default options: pollInterval 5 s, readAllocation.share 0.5, webhooks.reconcileInterval 15 min; the webhook endpoint sends every event type.',
      `Sales emitted: ${lost.length === 0 ? 'every one, by both instances' : `MISSING in ${lost.map((m) => m.salesPerMonth).join(', ')}`}; status changes: ${statuses.length === 0 ? 'none' : statuses.join(', ')}.`,
    ],
  )
}
