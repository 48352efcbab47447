import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CURRENT_VERSION, type Shop, shop } from './enrich-helpers.js'
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

/** Requests of the account other than polls of `/v1/events`: what enrichment cost. */
function enrichmentReads(s: Shop): number {
  return s.sim.requests.log.filter((e) => e.account === s.accountId && e.endpoint !== 'GET /v1/events').length
}

describe('Stripe calls per enriched sale', () => {
  it('stay at about one on a realistic day: repeat customers, invoices, Checkout, renewals', async () => {
    const s = await shop()
    current = s
    const biz = s.sim.business(s.accountId, { apiVersion: CURRENT_VERSION })
    const customers = Array.from({ length: 8 }, (_, i) =>
      biz.customer({ email: `buyer${i}@example.com`, name: `Buyer ${i}`, country: i % 2 ? 'FR' : 'US' }),
    )
    const products = ['Mug', 'Tee', 'Poster'].map((name, i) =>
      biz.product({ name, unitAmount: 1_500 + i * 500 }),
    )
    const plan = biz.product({ name: 'Club', unitAmount: 900, recurring: { interval: 'month' } })
    const subscriptions = customers
      .slice(0, 3)
      .map((customer) => biz.subscribe({ customer, price: plan.price }).subscription)
    await s.run(5_000)
    const before = enrichmentReads(s)
    const salesBefore = s.of('sale').length
    for (let round = 0; round < 10; round++) {
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
      await s.run(60_000) // minutes apart, as a real day's customers are
    }
    for (const subscription of subscriptions) biz.renew(subscription, { at: Math.floor(Date.now() / 1000) })
    await s.run(5_000)
    const sales = s.of('sale').length - salesBefore
    const perSale = (enrichmentReads(s) - before) / sales
    expect(sales).toBe(33)
    // The floor is one balance-transaction read per sale; products and customers come from caches.
    expect(perSale).toBeLessThanOrEqual(1.5)
  })
})
