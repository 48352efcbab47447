/**
 * Sale → listener latency: from the moment a payment's events exist at Stripe to CashNotify's `sale`
 * listener. Webhooks push, and polls every 1 s and every 5 s, run in real time over loopback (the simulator
 * POSTs its signed deliveries to a node:http server running `cn.webhookHandler().node`), beside a naive
 * poller at the same intervals; paced polls, whose interval at rest is minutes for a small shop, run on
 * fake time with a sale now and then, at rest.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { CashNotify, OPTIONAL_PERMISSIONS, REQUIRED_PERMISSIONS, silentLogger } from '@cashnotify/core'
import { StripeSimulator } from '@cashnotify/stripe-simulator'
import { NaivePoller } from './naive-poller.js'
import { InProcessStripe, installFakeTime, seeded, shopWithHistory, watch } from './simulated-shops.js'
import { percentile, printGrid } from './table.js'

const LOOPBACK_SALES = 60
/** The poll intervals timed over loopback, ms. */
const INTERVALS = [1_000, 5_000] as const
const RESTING_SALES = 30
const RESTING_SHOPS = [20, 500, 5_000] as const
/** Polls stay at the shortest interval this long after activity (core's pacing). */
const ACTIVE_MS = 60_000
const PERMISSIONS = [...REQUIRED_PERMISSIONS, ...OPTIONAL_PERMISSIONS]

/** Latencies of one path, ms: to the raw `charge.succeeded` (`stripe.event`), and to the `sale`. */
interface Path {
  readonly name: string
  readonly clock: string
  readonly event: readonly number[]
  readonly sale: readonly number[]
}

/** Records, per charge id, when its sale was made and how long CashNotify's listeners took to hear of it. */
function stopwatch(now: () => number): {
  made(chargeId: string): void
  hear(cn: CashNotify): void
  /** Records that the naive poller read the charge's event, and later that its sale went out. */
  heard(chargeId: string, list: 'event' | 'sale'): void
  event: number[]
  sale: number[]
} {
  const madeAt = new Map<string, number>()
  const event: number[] = []
  const sale: number[] = []
  const since = (chargeId: unknown): number | undefined => {
    const at = typeof chargeId === 'string' ? madeAt.get(chargeId) : undefined
    return at === undefined ? undefined : now() - at
  }
  return {
    made: (chargeId) => void madeAt.set(chargeId, now()),
    hear: (cn) => {
      cn.on('stripe.event', (e, { backfill }) => {
        const ms = e.type === 'charge.succeeded' && !backfill ? since(e.data.object.id) : undefined
        if (ms !== undefined) event.push(ms)
      })
      cn.on('sale', (s) => {
        const ms = s.backfill ? undefined : since(s.chargeId)
        if (ms !== undefined) sale.push(ms)
      })
    },
    heard: (chargeId, list) => {
      const ms = since(chargeId)
      if (ms !== undefined) (list === 'event' ? event : sale).push(ms)
    },
    event,
    sale,
  }
}

const until = async (condition: () => boolean, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
}

type Stopwatch = ReturnType<typeof stopwatch>

/** A test-mode shop on the loopback simulator. */
interface Shop {
  readonly id: string
  readonly key: string
}

/** One way of hearing of a shop's sales over loopback: started, timed, stopped. */
interface Watcher {
  readonly name: string
  readonly naive: boolean
  readonly shop: Shop
  readonly clock: Stopwatch
  start(): Promise<void>
  stop(): Promise<void>
}

/** CashNotify hearing of the shop's sales (pushed when `webhookSecret` is given, else polled). */
function cashNotifyWatcher(name: string, cn: CashNotify, shop: Shop, webhookSecret?: string): Watcher {
  const clock = stopwatch(() => performance.now())
  clock.hear(cn)
  return {
    name,
    naive: false,
    shop,
    clock,
    start: async () => {
      await cn.addAccount({ apiKey: shop.key, ...(webhookSecret ? { webhookSecret } : {}) })
      await cn.start()
    },
    stop: () => cn.stop(),
  }
}

/**
 * The naive baseline at one interval: stripe-node lists the events after its cursor, then waits out the
 * interval; each `charge.succeeded` is a sale once its fee (balance transaction) and customer are read.
 */
function naiveWatcher(name: string, shop: Shop, url: string, intervalMs: number): Watcher {
  const clock = stopwatch(() => performance.now())
  const poller = new NaivePoller(shop.key, url)
  let running = true
  let loop: Promise<void> = Promise.resolve()
  const pollForever = async (): Promise<void> => {
    while (running) {
      const started = performance.now()
      for (const event of await poller.poll()) {
        if (event.type === 'charge.succeeded') clock.heard(event.data.object.id, 'event')
        const charge = await poller.sale(event)
        if (charge) clock.heard(charge.id, 'sale')
      }
      const wait = intervalMs - (performance.now() - started)
      if (running && wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    }
  }
  return {
    name,
    naive: true,
    shop,
    clock,
    start: async () => {
      await poller.backfill(1)
      loop = pollForever()
    },
    stop: async () => {
      running = false
      await loop
    },
  }
}

/** Webhooks push, and polls every 1 s and 5 s (CashNotify and naive), on the same sales in real time. */
async function loopback(): Promise<Path[]> {
  const sim = new StripeSimulator({ seed: 60 })
  const api = await sim.listen()
  const stripe = { host: api.host, port: api.port, protocol: 'http' as const }
  const pushed = new CashNotify({ stripe, logger: silentLogger })
  const handler = pushed.webhookHandler()
  const receiver = createServer((req, res) => void handler.node(req, res))
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const { port } = receiver.address() as AddressInfo
  try {
    const shop = (name: string): Shop => {
      const id = sim.createAccount({ businessName: name }).id
      return {
        id,
        key: sim.createKey({ account: id, kind: 'restricted', mode: 'test', permissions: PERMISSIONS }),
      }
    }
    const hooked = shop('Pushed')
    const hook = sim.addWebhookEndpoint({
      account: hooked.id,
      url: `http://127.0.0.1:${port}/stripe/webhooks`,
    })
    const watchers: Watcher[] = [
      cashNotifyWatcher('webhooks push → cn.webhookHandler().node', pushed, hooked, hook.secret),
      ...INTERVALS.flatMap((ms) => {
        const every = `every ${ms / 1000} s`
        const polled = new CashNotify({
          stripe,
          logger: silentLogger,
          pollInterval: ms,
          readAllocation: { monthly: 1_000_000_000 }, // an allocation no pace reaches: polls at the interval
        })
        return [
          cashNotifyWatcher(
            `CashNotify polls ${every} (pollInterval ${ms / 1000} s, unpaced)`,
            polled,
            shop(`Polled ${ms}`),
          ),
          naiveWatcher(
            `naive polls ${every} (sale: charge.succeeded, fee and customer read)`,
            shop(`Naive ${ms}`),
            api.url,
            ms,
          ),
        ]
      }),
    ]
    await Promise.all(watchers.map((w) => w.start()))
    const selling = watchers.map((w) => ({ clock: w.clock, business: sim.business(w.shop.id) }))
    const random = seeded(61)
    for (let i = 0; i < LOOPBACK_SALES; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150 + random() * 250))
      // Dated a second back, so that all of a payment's events exist at the call.
      const at = Math.floor(Date.now() / 1000) - 1
      for (const { clock, business } of selling)
        clock.made(business.sale({ amount: 2_500, currency: 'usd', at }).charge.id)
    }
    const heardAll = (naive: boolean) => (): boolean =>
      watchers.filter((w) => w.naive === naive).every((w) => w.clock.sale.length === LOOPBACK_SALES)
    await until(heardAll(false), 20_000)
    // An id cursor may never see some events: two more of the longest interval, not longer.
    await until(heardAll(true), 2 * Math.max(...INTERVALS))
    await Promise.all(watchers.map((w) => w.stop()))
    return watchers.map((w) => ({
      name: w.name,
      clock: 'real, loopback',
      event: w.clock.event,
      sale: w.clock.sale,
    }))
  } finally {
    receiver.closeAllConnections()
    await new Promise((resolve) => receiver.close(resolve))
    await api.close()
  }
}

/** Sales of a shop that is at rest each time (a minute of activity and a poll or two apart), on fake time. */
async function resting(salesPerMonth: number, seed: number): Promise<Path> {
  const time = installFakeTime()
  try {
    const stripe = new InProcessStripe(seed)
    const random = seeded(seed)
    const shop = shopWithHistory(stripe, salesPerMonth, 'Paced')
    const cn = stripe.cashNotify(random)
    const clock = stopwatch(() => Date.now())
    clock.hear(cn)
    const account = await watch(cn, time, { apiKey: shop.key })
    await time.tick(2 * ACTIVE_MS)
    const interval = cn.readUsage(account).interval
    for (let i = 0; i < RESTING_SALES; i++) {
      await time.tick(Math.round(ACTIVE_MS + interval * (1 + random())))
      clock.made(shop.sell())
    }
    await time.tick(ACTIVE_MS + 2 * interval)
    await cn.stop()
    const rest =
      interval >= 60_000 ? `${(interval / 60_000).toFixed(1)} min` : `${Math.round(interval / 1000)} s`
    return {
      name: `paced polls, ${salesPerMonth.toLocaleString('en-US')} sales/month, at rest (every ${rest})`,
      clock: 'simulated',
      event: clock.event,
      sale: clock.sale,
    }
  } finally {
    time.uninstall()
  }
}

function duration(ms: number): string {
  if (ms < 1_000) return `${Math.round(ms)} ms`
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`
  return `${(ms / 60_000).toFixed(1)} min`
}

/** Runs the latency benchmarks and prints their table. */
export async function benchSaleLatency(): Promise<void> {
  const paths: Path[] = []
  for (const [i, sales] of RESTING_SHOPS.entries()) paths.push(await resting(sales, 70 + i))
  paths.unshift(...(await loopback()))
  const p = (values: readonly number[], q: number): string => duration(percentile([...values], q))
  printGrid(
    'Sale → listener latency (simulator; default options unless said)',
    ['path', 'clock', 'sales', 'charge.succeeded → stripe.event p50 / p99', 'sale p50 / p99'],
    paths.map((path) => [
      path.name,
      path.clock,
      String(path.sale.length),
      `${p(path.event, 50)} / ${p(path.event, 99)}`,
      `${p(path.sale, 50)} / ${p(path.sale, 99)}`,
    ]),
    [
      "From the moment all of a payment's events exist at Stripe to the listener; `sale` includes enrichment.",
      'Sales: those the listener heard, waiting two of the longest intervals after the last sale (an id cursor can miss events: see the polling table).',
      "Naive: stripe-node lists `GET /v1/events` after an id cursor (default page size), then waits the rest of the interval; each `charge.succeeded` it reads becomes a sale after it reads the charge's balance transaction (fee) and customer, one after the other. Its event column is when the poll returned the charge.",
      `Loopback: ${LOOPBACK_SALES} sales 150–400 ms apart, every path at once on its own shop. Simulated: ${RESTING_SALES} sales, each a minute of activity and one or two rest intervals after the last.`,
    ],
  )
}
