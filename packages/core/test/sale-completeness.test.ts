import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CURRENT_VERSION, invoicePayment, nowSeconds, replay, shop } from './enrich-helpers.js'
import { START } from './polling-helpers.js'

beforeEach(() => {
  vi.useFakeTimers({ now: START })
})
afterEach(() => {
  vi.useRealTimers()
})

/**
 * Since 2025-03-31 neither a payment intent nor its charge names an invoice: completeness is judged from
 * what they do carry, so a one-off sale never waits `settle`, and one that misses events goes out at
 * `settle` even when polls are far apart.
 */
describe(`a sale's completeness at ${CURRENT_VERSION}`, () => {
  it('a one-off card sale goes out at the first poll that reads it, without waiting for settle', async () => {
    const s = await shop({ cashnotify: { settle: 60_000 } })
    const biz = s.sim.business(s.accountId, { apiVersion: CURRENT_VERSION })
    const jane = biz.customer({ email: 'jane@example.com', country: 'FR', at: nowSeconds() })
    biz.sale({ customer: jane, amount: 2_500, currency: 'eur' })
    const guest = biz.sale({ amount: 1_000, currency: 'usd' })
    await s.run(1_500)
    expect(s.of('sale').map((sale) => sale.amount.amount)).toEqual([2_500, 1_000])
    expect(guest.events.map((e) => e.type)).toContain('payment_intent.succeeded')
    await s.cn.stop()
  })

  it("a subscription's payment waits for its invoice, and goes out at the settle deadline when it does not come, even at a slow pace", async () => {
    const s = await shop({ cashnotify: { settle: 3_000, pollInterval: 60_000, maxPollInterval: 60_000 } })
    const events = invoicePayment(s.sim, s.accountId, CURRENT_VERSION)
    const payment = events.filter((e) => e.type.startsWith('charge.') || e.type.startsWith('payment_intent.'))
    await s.run(59_500)
    replay(s.sim, s.accountId, payment)
    const createdAt = nowSeconds() * 1_000
    // The poll at 60 s reads them: a payment intent worded as an invoice's waits for the invoice.
    await s.run(1_000)
    expect(s.of('sale')).toHaveLength(0)
    // No invoice comes: the sale goes out at its deadline, long before the next poll (120 s) would.
    await s.run(createdAt + 3_000 - Date.now() + 100)
    expect(s.of('sale')).toHaveLength(1)
    expect(Date.now()).toBeLessThan(START + 65_000)
    await s.cn.stop()
  })
})
