import { describe, expect, it } from 'vitest'
import { errorOf } from './helpers.js'
import { startShop, typesOf } from './scenario-helpers.js'

describe('invoice payments exist from 2025-03-31.basil on', () => {
  it('serves no invoice payments before basil: no event, no endpoints, no includable payments', async () => {
    const old = '2025-02-24.acacia'
    const { shop, call, sim, account } = await startShop({ apiVersion: old })
    const jane = shop.customer({ email: 'jane@example.com' })
    const { price } = shop.product({ name: 'Mug', unitAmount: 1200, currency: 'usd' })
    const sale = shop.sale({ customer: jane, items: [{ price }] })
    expect(typesOf(sale.events)).not.toContain('invoice_payment.paid')
    const key = sim.createKey({ account: account.id, kind: 'secret', mode: 'test' })
    const [payment] = sim.store(account.id, false).list('invoice_payment')
    const paths = ['/v1/invoice_payments', `/v1/invoice_payments/${payment?.id}`]
    for (const path of paths) {
      const answer = await call(path, { key, headers: { 'Stripe-Version': old } })
      expect(answer.status).toBe(404)
      expect((await errorOf(answer)).message).toMatch(
        /^Unrecognized request URL \(GET: \/v1\/invoice_payments/,
      )
      expect((await call(path, { key, headers: { 'Stripe-Version': '2025-03-31.basil' } })).status).toBe(200)
    }
    const expanded = await call(`/v1/invoices/${sale.invoice?.id}?expand[]=payments`, {
      key,
      headers: { 'Stripe-Version': old },
    })
    expect(expanded.status).toBe(400)
  })
})
