/**
 * Sale → listener latency: from the moment a payment's events exist at Stripe to CashNotify's `sale`
 * listener. Webhooks push and polls every 1 s run in real time over loopback (the simulator POSTs its
 * signed deliveries to a node:http server running `cn.webhookHandler().node`); paced polls, whose
 * interval at rest is minutes for a small shop, run on fake time with a sale now and then, at rest.
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { performance } from 'node:perf_hooks'
import { CashNotify, OPTIONAL_PERMISSIONS, REQUIRED_PERMISSIONS, silentLogger } from '@cashnotify/core'
import { StripeSimulator } from '@cashnotify/stripe-simulator'
import { InProcessStripe, installFakeTime, seeded, shopWithHistory, watch } from './simulated-shops.js'
import { percentile, printGrid } from './table.js'

const LOOPBACK_SALES = 40
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
    event,
    sale,
  }
}

const until = async (condition: () => boolean, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
}

/** Webhooks push, and polls every 1 s, on the same sales in real time. */
async function loopback(): Promise<Path[]> {
  const sim = new StripeSimulator({ seed: 60 })
  const api = await sim.listen()
  const stripe = { host: api.host, port: api.port, protocol: 'http' as const }
  const pushed = new CashNotify({ stripe, logger: silentLogger })
  const polled = new CashNotify({
    stripe,
    logger: silentLogger,
    pollInterval: 1_000,
    readAllocation: { monthly: 1_000_000_000 }, // an allocation no pace reaches: polls every 1 s
  })
  const handler = pushed.webhookHandler()
  const receiver = createServer((req, res) => void handler.node(req, res))
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const { port } = receiver.address() as AddressInfo
  try {
    const shop = (name: string) => {
      const id = sim.createAccount({ businessName: name }).id
      const key = sim.createKey({ account: id, kind: 'restricted', mode: 'test', permissions: PERMISSIONS })
      return { id, key, business: sim.business(id) }
    }
    const [a, b] = [shop('Pushed'), shop('Polled')]
    const hook = sim.addWebhookEndpoint({ account: a.id, url: `http://127.0.0.1:${port}/stripe/webhooks` })
    const clocks = { pushed: stopwatch(() => performance.now()), polled: stopwatch(() => performance.now()) }
    clocks.pushed.hear(pushed)
    clocks.polled.hear(polled)
    await pushed.addAccount({ apiKey: a.key, webhookSecret: hook.secret })
    await polled.addAccount({ apiKey: b.key })
    await Promise.all([pushed.start(), polled.start()])
    const random = seeded(61)
    for (let i = 0; i < LOOPBACK_SALES; i++) {
      await new Promise((resolve) => setTimeout(resolve, 150 + random() * 250))
      // Dated a second back, so that all of a payment's events exist at the call.
      const at = Math.floor(Date.now() / 1000) - 1
      clocks.pushed.made(a.business.sale({ amount: 2_500, currency: 'usd', at }).charge.id)
      clocks.polled.made(b.business.sale({ amount: 2_500, currency: 'usd', at }).charge.id)
    }
    const done = (): boolean => Object.values(clocks).every((c) => c.sale.length === LOOPBACK_SALES)
    await until(done, 15_000)
    await Promise.all([pushed.stop(), polled.stop()])
    return [
      { name: 'webhooks push → cn.webhookHandler().node', clock: 'real, loopback', ...clocks.pushed },
      { name: 'polls every 1 s (pollInterval 1 s, unpaced)', clock: 'real, loopback', ...clocks.polled },
    ]
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
      'A payment without invoice or Checkout Session cannot say at current API versions that no invoice will follow: its `sale` waits `settle` (2 s) after its newest event.',
      `Loopback: ${LOOPBACK_SALES} sales 150–400 ms apart, both paths at once. Simulated: ${RESTING_SALES} sales, each a minute of activity and one or two rest intervals after the last.`,
    ],
  )
}
