import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CURRENT_VERSION, expectOwnFees, type Shop, shop } from './enrich-helpers.js'
import { START } from './polling-helpers.js'

let current: Shop | undefined
beforeEach(() => {
  vi.useFakeTimers({ now: START })
})
afterEach(async () => {
  await current?.cn.stop()
  current = undefined
  vi.useRealTimers()
})

/** Enrichment reads of the account by endpoint. */
function readsByEndpoint(s: Shop): Map<string, number> {
  const counts = new Map<string, number>()
  for (const e of s.sim.requests.log) {
    if (e.account !== s.accountId || e.endpoint === 'GET /v1/events') continue
    counts.set(e.endpoint, (counts.get(e.endpoint) ?? 0) + 1)
  }
  return counts
}

describe('Stripe calls per enriched sale', () => {
  it('are the floor on a realistic day — a fee per sale, Checkout line items, renewals — with customers back hours apart', async () => {
    const s = await shop({ cashnotify: { pollInterval: 30_000, maxPollInterval: 30_000 } })
    current = s
    const biz = s.sim.business(s.accountId, { apiVersion: CURRENT_VERSION })
    // Customers from before the account was watched: no event of theirs passes to be remembered.
    const customers = Array.from({ length: 8 }, (_, i) =>
      biz.customer({
        email: `buyer${i}@example.com`,
        name: `Buyer ${i}`,
        country: i % 2 ? 'FR' : 'US',
        at: Math.floor(Date.now() / 1000) - 86_400,
      }),
    )
    const products = ['Mug', 'Tee', 'Poster'].map((name, i) =>
      biz.product({ name, unitAmount: 1_500 + i * 500 }),
    )
    const plan = biz.product({ name: 'Club', unitAmount: 900, recurring: { interval: 'month' } })
    const subscriptions = customers
      .slice(0, 3)
      .map((customer) => biz.subscribe({ customer, price: plan.price }).subscription)
    await s.run(60_000)
    const before = readsByEndpoint(s)
    const salesBefore = s.of('sale').length
    const rounds = 16
    for (let round = 0; round < rounds; round++) {
      const customer = customers[round % customers.length]
      const product = products[round % products.length]
      if (!customer || !product) throw new Error('setup')
      biz.sale({ customer, items: [{ price: product.price, quantity: 1 + (round % 2) }] })
      biz.sale({ customer, amount: 2_000 + round, currency: 'usd' })
      biz.sale({
        items: [{ price: product.price }],
        checkout: true,
        guest: { email: `guest${round}@example.com` },
      })
      // 20 minutes apart: a customer comes back after 160, long after a 10-minute cache would have let go.
      await s.run(20 * 60_000)
    }
    for (const subscription of subscriptions) biz.renew(subscription, { at: Math.floor(Date.now() / 1000) })
    await s.run(60_000)
    const sales = s.of('sale').length - salesBefore
    expect(sales).toBe(rounds * 3 + subscriptions.length)
    const reads = readsByEndpoint(s)
    const spent = (endpoint: string): number => (reads.get(endpoint) ?? 0) - (before.get(endpoint) ?? 0)
    // The fees of a poll's sales in one list (each round's three sales arrive in one poll, and so do the
    // renewals); line items per Checkout sale; a renewal reads its subscription's status.
    expect(spent('GET /v1/balance_transactions')).toBe(rounds + 1)
    expect(spent('GET /v1/balance_transactions/:id')).toBe(0)
    expectOwnFees(s)
    expect(spent('GET /v1/checkout/sessions/:id/line_items')).toBe(rounds)
    expect(spent('GET /v1/subscriptions/:id')).toBeLessThanOrEqual(subscriptions.length)
    // Customers are never read: each payment carries its buyer's email, name and country; products are
    // read once, as their changes arrive as events.
    expect(spent('GET /v1/customers/:id')).toBe(0)
    expect(spent('GET /v1/products/:id')).toBe(0)
    const total = [...reads.keys()].reduce((sum, endpoint) => sum + spent(endpoint), 0)
    expect(total / sales).toBeLessThanOrEqual(0.75)
    expect(s.of('sale').every((sale) => sale.customer?.email !== undefined)).toBe(true)
  })
})
