/**
 * Stripe calls per sale over a realistic day, on fake time: one shop, sales arriving about 6 minutes
 * apart for 24 hours — a third of them by a customer who already bought that day (minutes or hours
 * before), some by guests, some through an invoice or Checkout — and the day's subscription renewals.
 * CashNotify runs with its default caches and pacing; the naive enricher reads the same events per payment.
 */
import { OPTIONAL_PERMISSIONS, REQUIRED_PERMISSIONS } from '@cashnotify/core'
import type { Business } from '@cashnotify/stripe-simulator'
import Stripe from 'stripe'
import { DEFAULTS } from '../packages/core/src/shared/defaults.js'
import { naiveEnrich } from './naive-enricher.js'
import { DAY_MS, InProcessStripe, installFakeTime, seeded, watch } from './simulated-shops.js'
import type { Row } from './table.js'

const SALES = 240
const RENEWALS = 24
const POOL = 300
const PERMISSIONS = [...REQUIRED_PERMISSIONS, ...OPTIONAL_PERMISSIONS]

type Customer = ReturnType<Business['customer']>

/** The shop's catalogue and customers, made a month or two before the day. */
function catalogue(biz: Business, random: () => number) {
  const before = (days: number): number => Math.floor((Date.now() - days * DAY_MS) / 1000)
  const pool = Array.from({ length: POOL }, (_, i) =>
    biz.customer({
      email: `c${i}@example.com`,
      name: `Customer ${i}`,
      country: i % 3 ? 'US' : 'FR',
      at: before(60),
    }),
  )
  const products = Array.from({ length: 12 }, (_, i) =>
    biz.product({ name: `Product ${i}`, unitAmount: 1000 + i * 500, currency: 'usd', at: before(60) }),
  )
  const plan = biz.product({
    name: 'Plan',
    unitAmount: 2900,
    currency: 'usd',
    recurring: { interval: 'month' },
    at: before(60),
  })
  // Subscribed a month before the day, spread over it: each renews once during the day.
  const subscriptions = Array.from({ length: RENEWALS }, (_, i) => {
    const at = Math.floor((Date.now() - 30 * DAY_MS + ((i + random()) / RENEWALS) * DAY_MS) / 1000)
    return biz.subscribe({ customer: pool[i] as Customer, price: plan.price, at }).subscription
  })
  return { pool, products, subscriptions }
}

/** Calls per sale of CashNotify and of the naive enricher over one realistic day, and what the day was. */
export async function callsOnARealisticDay(): Promise<{ rows: Row[]; notes: string[] }> {
  const time = installFakeTime()
  try {
    const stripe = new InProcessStripe(21)
    const random = seeded(21)
    const { sim } = stripe
    const account = sim.createAccount({ businessName: 'Day Inc' }).id
    const key = sim.createKey({ account, kind: 'restricted', mode: 'live', permissions: PERMISSIONS })
    const biz = sim.business(account, { livemode: true })
    const shop = catalogue(biz, random)
    const cn = stripe.cashNotify(random, { backfill: 0 })
    let sales = 0
    const events: Stripe.Event[] = []
    cn.on('sale', (sale) => void (sale.backfill || sales++))
    cn.on('stripe.event', (event, { backfill }) => void (backfill || events.push(event)))
    await watch(cn, time, { apiKey: key })

    const dayStart = Date.now()
    const today: Customer[] = []
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
    let guests = 0
    const sell = (): void => {
      const returning = today.length > 0 && random() < 0.35
      const customer = random() < 0.2 ? undefined : returning ? pick(today) : pick(shop.pool)
      if (customer && !returning) today.push(customer)
      // A guest types their email and name in, so the charge's billing details carry them.
      const buyer = customer
        ? { customer }
        : { guest: { email: `guest${++guests}@example.com`, name: `Guest ${guests}`, country: 'US' } }
      const at = Math.floor(Date.now() / 1000) - 1
      const kind = random()
      const item = { price: pick(shop.products).price }
      if (kind < 0.5) biz.sale({ amount: 500 + Math.floor(random() * 10_000), currency: 'usd', at, ...buyer })
      else if (kind < 0.8 && customer) biz.sale({ customer, items: [item], at })
      else biz.sale({ items: [item], checkout: true, at, ...buyer })
    }
    // Arrivals: exponential gaps averaging a day ÷ SALES; renewals at their periods' ends.
    const actions: Array<readonly [number, () => void]> = []
    for (let at = dayStart, i = 0; i < SALES; i++) {
      at += -Math.log(1 - random()) * (DAY_MS / SALES)
      actions.push([at, sell])
    }
    for (const subscription of shop.subscriptions) {
      const end = (subscription.items.data[0]?.current_period_end ?? 0) * 1000
      actions.push([Math.max(end, dayStart) + 1_000, () => void biz.renew(subscription.id)])
    }
    actions.sort((a, b) => a[0] - b[0])
    for (const [at, run] of actions) {
      await time.tick(Math.max(0, Math.round(at - Date.now())))
      run()
    }
    await time.tick(15 * 60_000)
    await cn.stop()
    const made = SALES + RENEWALS
    const reads = sim.requests.log.filter(
      (e) => e.account === account && e.method === 'GET' && e.path !== '/v1/events' && e.at >= dayStart,
    )
    const ours = reads.length
    const byEndpoint = new Map<string, number>()
    for (const e of reads) byEndpoint.set(e.endpoint, (byEndpoint.get(e.endpoint) ?? 0) + 1)

    // The naive enricher on the same events, a call every 50 ms of the clock (below Stripe's rate limit).
    const client = new Stripe(key, {
      httpClient: Stripe.createFetchHttpClient(stripe.fetch),
      maxNetworkRetries: 0,
    })
    const naive = await naiveEnrich(client, events, () => time.tick(50))
    const { ttlMs, subscriptionTtlMs } = DEFAULTS.cache
    const rows: Row[] = [
      {
        figure: `Stripe calls per sale, a realistic day (${made} sales over 24 h, default caches)`,
        cashnotify: Number((ours / sales).toFixed(2)),
        naive: Number((naive.calls / naive.payments).toFixed(2)),
        note: `goal ≤ 1.2; ${sales} of ${made} sales emitted`,
      },
    ]
    const notes = [
      `Realistic day (fake time, live mode, default options but backfill 0): ${SALES} sales at exponential gaps averaging ${Math.round(DAY_MS / SALES / 60_000)} min — 20% guests, else a customer of a pool of ${POOL}, 35% of them one who already bought that day (minutes or hours before) — half card payments, 30% invoices with a product, 20% Checkout; and ${RENEWALS} monthly renewals spread over the day. Caches at their defaults: customers and products ${ttlMs / 60_000} min, subscriptions ${subscriptionTtlMs / 1000} s.`,
      `Calls: every GET but \`/v1/events\` from the start of the day, per emitted sale (CashNotify's: ${[...byEndpoint].map(([endpoint, n]) => `${n} ${endpoint}`).join(', ')}); the naive enricher: its calls per \`charge.succeeded\` of the same events.`,
    ]
    return { rows, notes }
  } finally {
    time.uninstall()
  }
}
