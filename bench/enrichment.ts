import { CashNotify, REQUIRED_PERMISSIONS, silentLogger } from '@cashnotify/core'
import { genericLogo } from '@cashnotify/core/notifier'
import { StripeSimulator } from '@cashnotify/stripe-simulator'
import { Keyv } from 'keyv'
import Stripe from 'stripe'
// Enrichment's internals, measured without the poller or the network around them.
import { Enricher } from '../packages/core/src/enrich/enricher.js'
import { StripeLookups } from '../packages/core/src/enrich/lookups.js'
import type { StripeGateway } from '../packages/core/src/stripe/client.js'
import { naiveEnrich } from './naive-enricher.js'
import { callsOnARealisticDay } from './realistic-day.js'
import { percentile, printTable, type Row } from './table.js'

/** A seeded random source, so every run makes the same business. */
function lcg(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return state / 2 ** 31
  }
}

const until = async (condition: () => boolean, timeoutMs = 120_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('benchmark timed out')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/**
 * A realistic mix, made in the simulator: repeat customers buying one-off (some through an invoice with
 * products, some through Checkout) and subscribers whose subscriptions renew.
 */
function makeMix(sim: StripeSimulator, accountId: string, sales: number, random: () => number): number {
  const biz = sim.business(accountId)
  const at = Math.floor(Date.now() / 1000) - 3600
  const customers = Array.from({ length: 25 }, (_, i) =>
    biz.customer({ email: `c${i}@example.com`, name: `Customer ${i}`, country: i % 3 ? 'US' : 'FR', at }),
  )
  const products = Array.from({ length: 6 }, (_, i) =>
    biz.product({ name: `Product ${i}`, unitAmount: 1000 + i * 500, currency: 'usd', at }),
  )
  const plans = Array.from({ length: 2 }, (_, i) =>
    biz.product({
      name: `Plan ${i}`,
      unitAmount: 2900 + i * 2000,
      currency: 'usd',
      recurring: { interval: 'month' },
      at,
    }),
  )
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T
  const subscriptions = customers
    .slice(0, 8)
    .map((customer) => biz.subscribe({ customer, price: pick(plans).price }))
  let made = subscriptions.length
  while (made < sales) {
    const kind = random()
    const customer = pick(customers)
    if (kind < 0.35) biz.sale({ customer, amount: 500 + Math.floor(random() * 10_000), currency: 'usd' })
    else if (kind < 0.6)
      biz.sale({ customer, items: [{ price: pick(products).price, quantity: 1 + Math.floor(random() * 2) }] })
    else if (kind < 0.7) biz.sale({ customer, items: [{ price: pick(products).price }], checkout: true })
    else {
      const subscription = pick(subscriptions).subscription
      biz.renew(subscription, { at: Math.floor(Date.now() / 1000) })
    }
    made++
  }
  return made
}

/** Requests that are not polling: what enrichment cost. */
function enrichmentRequests(sim: StripeSimulator, accountId: string): number {
  return sim.requests.log.filter((e) => e.account === accountId && e.endpoint !== 'GET /v1/events').length
}

/** Stripe calls per sale in steady state, CashNotify against the naive enricher, on one event stream. */
async function callsPerSale(): Promise<{
  rows: Row[]
  sample: { sim: StripeSimulator; accountId: string; events: Stripe.Event[] }
}> {
  const sim = new StripeSimulator({ seed: 11, rateLimits: false })
  const server = await sim.listen()
  try {
    const accountId = sim.createAccount({ businessName: 'Mix Inc' }).id
    const key = sim.createKey({
      account: accountId,
      kind: 'restricted',
      mode: 'test',
      permissions: REQUIRED_PERMISSIONS,
    })
    const cn = new CashNotify({
      stripe: { host: server.host, port: server.port, protocol: 'http' },
      pollInterval: 1_000,
      backfill: 0,
      settle: 1_000,
      logger: silentLogger,
    })
    let sales = 0
    let measuring = false
    const measuredEvents: Stripe.Event[] = []
    cn.on('sale', () => void sales++)
    cn.on('stripe.event', (event) => {
      if (measuring) measuredEvents.push(event)
    })
    await cn.addAccount({ apiKey: key })
    await cn.start()
    const random = lcg(3)
    // Warm-up: the first sales fill the caches; steady state is measured after them.
    const warm = makeMix(sim, accountId, 60, random)
    await until(() => sales >= warm)
    const before = enrichmentRequests(sim, accountId)
    const salesBefore = sales
    measuring = true
    const measured = makeMix(sim, accountId, 300, random)
    await until(() => sales >= salesBefore + measured)
    await cn.stop()
    const ours = (enrichmentRequests(sim, accountId) - before) / (sales - salesBefore)

    // The naive enricher reads the very same events, through stripe-node.
    const stripe = new Stripe(key, {
      host: server.host,
      port: server.port,
      protocol: 'http',
      maxNetworkRetries: 0,
    })
    const naive = await naiveEnrich(stripe, measuredEvents)
    return {
      rows: [
        {
          figure: `Stripe calls per sale, a burst (${measured} sales made at once, 25 customers, warm caches)`,
          cashnotify: Number(ours.toFixed(2)),
          naive: Number((naive.calls / naive.payments).toFixed(2)),
          note: "customers seconds apart: the caches' best case",
        },
      ],
      sample: { sim, accountId, events: measuredEvents },
    }
  } finally {
    await server.close()
  }
}

/** A Stripe client answering from the simulator's store with no I/O at all: zero latency. */
function storeStripe(sim: StripeSimulator, accountId: string): Stripe {
  const store = sim.store(accountId, false)
  // Indexed once, so that the stub itself costs nothing per look-up.
  const kinds = ['customer', 'product', 'subscription', 'invoice', 'balance_transaction', 'invoice_payment']
  const byKind = new Map(
    kinds.map((kind) => [kind, store.list(kind as never) as Array<Record<string, unknown>>]),
  )
  const byId = new Map<string, unknown>()
  for (const objects of byKind.values()) for (const o of objects) byId.set(`${o.object}:${o.id}`, o)
  const find = (kind: string, id: string): unknown => byId.get(`${kind}:${id}`)
  const list = (data: unknown[]) => ({ object: 'list', data, has_more: false })
  return {
    customers: { retrieve: async (id: string) => find('customer', id) },
    products: { retrieve: async (id: string) => find('product', id) },
    subscriptions: { retrieve: async (id: string) => find('subscription', id) },
    invoices: {
      retrieve: async (id: string) => find('invoice', id),
      listLineItems: async (id: string) => (find('invoice', id) as { lines: unknown }).lines,
    },
    balanceTransactions: {
      retrieve: async (id: string) => find('balance_transaction', id),
      list: async ({ source }: { source: string }) =>
        list((byKind.get('balance_transaction') ?? []).filter((b) => b.source === source)),
    },
    invoicePayments: {
      list: async ({ invoice }: { invoice: string }) =>
        list((byKind.get('invoice_payment') ?? []).filter((p) => p.invoice === invoice)),
    },
    checkout: { sessions: { listLineItems: async () => list([]) } },
  } as unknown as Stripe
}

/** CPU time of normalising and enriching one event, with Stripe answering instantly from memory. */
async function cpuPerEvent(sample: {
  sim: StripeSimulator
  accountId: string
  events: Stripe.Event[]
}): Promise<Row[]> {
  const stripe = storeStripe(sample.sim, sample.accountId)
  const gateway = { call: (_endpoint: string, request: (s: Stripe) => Promise<unknown>) => request(stripe) }
  const perEvent: number[] = []
  for (let run = 0; run < 7; run++) {
    const enricher = new Enricher({
      ref: `${sample.accountId}/test`,
      account: () => ({ id: sample.accountId, name: 'Cpu Inc', mode: 'test', logo: genericLogo() }),
      lookups: new StripeLookups(gateway as unknown as StripeGateway),
      store: new Keyv(),
      settleMs: 0,
      now: Date.now,
    })
    const start = process.cpuUsage()
    for (let i = 0; i < sample.events.length; i += 100) {
      const result = await enricher.process(sample.events.slice(i, i + 100), false)
      await result.commit()
    }
    const cpu = process.cpuUsage(start)
    perEvent.push((cpu.user + cpu.system) / sample.events.length)
  }
  return [
    {
      figure: `CPU per event, normalising and enriching (µs, median of 7 runs over ${sample.events.length} events)`,
      cashnotify: Math.round(percentile(perEvent, 50)),
      note: 'zero-latency Stripe in memory; goal < 100 µs',
    },
  ]
}

/** Runs the enrichment benchmarks and prints their table. */
export async function benchEnrichment(): Promise<void> {
  const day = await callsOnARealisticDay()
  const { rows, sample } = await callsPerSale()
  printTable(
    'Enrichment (simulator, current API version)',
    [...day.rows, ...rows, ...(await cpuPerEvent(sample))],
    [
      ...day.notes,
      'Burst: one-off, invoice, Checkout sales and renewals by 25 customers, all made at once over loopback after 60 warm-up sales (test mode).',
      'Naive enricher, per payment and without a cache: each `charge.succeeded` reads its balance transaction and its customer; each `invoice.paid` the product of each line and its subscription; each `checkout.session.completed` its line items.',
    ],
  )
}
