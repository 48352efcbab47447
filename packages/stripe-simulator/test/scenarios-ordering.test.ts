import { describe, expect, it } from 'vitest'
import { StripeSimulator } from '../src/index.js'
import { eventOf, objectOf, startShop, T0, typesOf } from './scenario-helpers.js'

describe("order and timing of a payment's events", () => {
  it('with balanceTransactionLater, carries the balance transaction in a later charge.updated', async () => {
    const { shop, client } = await startShop()
    const sale = shop.sale({ amount: 1000, currency: 'usd', balanceTransactionLater: true })
    expect(typesOf(sale.events)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'charge.updated',
    ])
    expect(objectOf(sale.events, 'charge.succeeded').balance_transaction).toBeNull()
    const updated = eventOf(sale.events, 'charge.updated')
    expect(updated.created).toBe(T0 + 2)
    expect(updated.data.object).toMatchObject({
      id: sale.charge.id,
      balance_transaction: sale.balanceTransaction.id,
    })
    expect(updated.data.previous_attributes).toEqual({ balance_transaction: null })
    expect((await client.charges.retrieve(sale.charge.id)).balance_transaction).toBe(
      sale.balanceTransaction.id,
    )
  })

  it('shuffles the events of one payment within their seconds, the same way for the same seed', async () => {
    const run = (seed: number) => {
      const sim = new StripeSimulator({ seed })
      const account = sim.createAccount()
      const shop = sim.business(account.id) // shuffle is on by default
      const jane = shop.customer({ email: 'jane@example.com', at: T0 })
      const { price } = shop.product({ name: 'Mug', unitAmount: 1200, currency: 'usd', at: T0 })
      return Array.from({ length: 12 }, (_, i) =>
        shop.sale({ customer: jane, items: [{ price }], at: T0 + 10 * i }),
      )
    }
    const sales = run(7)
    const canonical = [
      'invoice.created',
      'invoice.finalized',
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice.paid',
      'invoice.payment_succeeded',
      'invoice_payment.paid',
    ]
    for (const sale of sales) {
      expect([...typesOf(sale.events)].sort()).toEqual([...canonical].sort())
      // Seconds are kept: the first three events in the first second, the rest in the next.
      const first = sale.events[0]?.created ?? 0
      const second = new Set(['invoice.created', 'invoice.finalized', 'payment_intent.created'])
      for (const event of sale.events) expect(event.created).toBe(second.has(event.type) ? first : first + 1)
      const created = sale.events.map((event) => event.created)
      expect(created).toEqual([...created].sort((a, b) => a - b))
    }
    const paidFirst = sales.filter((sale) => {
      const types = typesOf(sale.events)
      return types.indexOf('invoice.paid') < types.indexOf('charge.succeeded')
    })
    expect(paidFirst.length).toBeGreaterThan(0)
    expect(paidFirst.length).toBeLessThan(sales.length)
    const again = run(7)
    expect(again.map((sale) => typesOf(sale.events))).toEqual(sales.map((sale) => typesOf(sale.events)))
    expect(again.map((sale) => sale.charge.id)).toEqual(sales.map((sale) => sale.charge.id))
  })

  it('keeps a live-mode business apart from test mode', async () => {
    const { sim, account, stripe } = await startShop()
    const live = sim.business(account.id, { livemode: true, shuffle: false })
    const jane = live.customer({ email: 'jane@example.com' })
    const { price } = live.product({ name: 'Course', unitAmount: 19_900, currency: 'usd' })
    const sale = live.sale({ customer: jane, items: [{ price }], checkout: true })
    expect(sale.checkoutSession?.id).toMatch(/^cs_live_a1/)
    expect(sale.events.every((event) => event.livemode)).toBe(true)
    const liveClient = stripe(sim.createKey({ account: account.id, kind: 'secret', mode: 'live' }))
    const testClient = stripe(sim.createKey({ account: account.id, kind: 'secret', mode: 'test' }))
    expect((await liveClient.charges.retrieve(sale.charge.id)).livemode).toBe(true)
    expect((await testClient.events.list()).data).toEqual([])
    const missing = await testClient.charges.retrieve(sale.charge.id).catch((error) => error)
    expect(missing).toMatchObject({ statusCode: 404 })
    expect(missing.message).toContain('a similar object exists in live mode')
  })
})
