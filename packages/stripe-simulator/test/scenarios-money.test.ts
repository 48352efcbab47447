import { describe, expect, it } from 'vitest'
import { StripeSimulator } from '../src/index.js'
import { eventOf, objectOf, startShop, T0, typesOf } from './scenario-helpers.js'

const DAY = 86_400

describe('Business.refund', () => {
  it('refunds partly then fully: amount_refunded, refunded only when full, a negative balance transaction', async () => {
    const { shop, client } = await startShop()
    const sale = shop.sale({ amount: 5000, currency: 'usd' })
    const partial = shop.refund(sale.charge, { amount: 2000, at: T0 + 60 })
    expect(typesOf(partial.events)).toEqual(['charge.refunded', 'refund.created', 'refund.updated'])
    expect(partial.refund.id).toMatch(/^re_/)
    expect(partial.charge).toMatchObject({ amount_refunded: 2000, refunded: false })
    expect(eventOf(partial.events, 'charge.refunded').data.previous_attributes).toEqual({
      amount_refunded: 0,
    })
    expect(partial.balanceTransaction).toMatchObject({
      amount: -2000,
      fee: 0,
      net: -2000,
      type: 'refund',
      source: partial.refund.id,
    })
    expect(objectOf(partial.events, 'refund.created')).toMatchObject({
      amount: 2000,
      charge: sale.charge.id,
      payment_intent: sale.paymentIntent.id,
      status: 'succeeded',
      destination_details: { card: { reference_status: 'pending' } },
    })
    const arn = eventOf(partial.events, 'refund.updated')
    expect(arn.created).toBe(T0 + 61)
    expect(arn.data.previous_attributes).toEqual({
      destination_details: { card: { reference: null, reference_status: 'pending' } },
    })

    const full = shop.refund(sale.charge, { at: T0 + 120 })
    expect(full.refund.amount).toBe(3000)
    expect(full.charge).toMatchObject({ amount_refunded: 5000, refunded: true })
    expect(eventOf(full.events, 'charge.refunded').data.previous_attributes).toEqual({
      amount_refunded: 2000,
      refunded: false,
    })
    expect(() => shop.refund(sale.charge, { amount: 10 })).toThrow(/greater than the unrefunded amount/)

    expect((await client.refunds.list({ charge: sale.charge.id })).data.map((r) => r.id)).toEqual([
      full.refund.id,
      partial.refund.id,
    ])
    expect((await client.balanceTransactions.retrieve(full.balanceTransaction.id)).amount).toBe(-3000)
    // Since 2022-11-15 refunds are includable on the charge.
    expect(await client.charges.retrieve(sale.charge.id)).not.toHaveProperty('refunds')
    const expanded = await client.charges.retrieve(sale.charge.id, { expand: ['refunds'] })
    expect(expanded.refunds?.data.map((r) => r.amount)).toEqual([3000, 2000])
  })

  it('before 2024-10-28 sends charge.refund.updated instead of refund events; before 2022-11-15 charges carry refunds', async () => {
    const { shop, client } = await startShop({ apiVersion: '2020-08-27' })
    const sale = shop.sale({ amount: 1000, currency: 'usd' })
    const succeeded = objectOf(sale.events, 'payment_intent.succeeded')
    // 2022-11-15 removed `charges` from PaymentIntent in favour of `latest_charge`.
    expect(succeeded).not.toHaveProperty('latest_charge')
    expect(succeeded).toMatchObject({
      charges: { object: 'list', data: [{ id: sale.charge.id, refunds: { data: [] } }] },
    })
    expect(objectOf(sale.events, 'payment_intent.created')).toMatchObject({ charges: { data: [] } })

    const refund = shop.refund(sale.charge)
    expect(typesOf(refund.events)).toEqual(['charge.refunded', 'charge.refund.updated'])
    expect(objectOf(refund.events, 'charge.refunded')).toMatchObject({
      refunded: true,
      refunds: { data: [{ id: refund.refund.id }] },
    })
    const old = (await client.charges.retrieve(sale.charge.id, {}, { apiVersion: '2020-08-27' })) as unknown
    expect(old).toMatchObject({ refunds: { data: [{ id: refund.refund.id }] } })
    const pi = (await client.paymentIntents.retrieve(
      sale.paymentIntent.id,
      {},
      { apiVersion: '2022-11-15' },
    )) as unknown
    expect(pi).toMatchObject({ latest_charge: sale.charge.id })
    expect(pi).not.toHaveProperty('charges')
  })
})

describe('Business.dispute', () => {
  it('withdraws the amount and the fee, then reinstates the amount when won', async () => {
    const { shop, client } = await startShop()
    const sale = shop.sale({ amount: 4000, currency: 'usd' })
    const opened = shop.dispute(sale.charge, { at: T0 + DAY })
    expect(typesOf(opened.events)).toEqual(['charge.dispute.created', 'charge.dispute.funds_withdrawn'])
    expect(opened.dispute.id).toMatch(/^dp_/)
    expect(opened.dispute).toMatchObject({
      amount: 4000,
      charge: sale.charge.id,
      payment_intent: sale.paymentIntent.id,
      reason: 'fraudulent',
      status: 'needs_response',
      payment_method_details: { card: { network_reason_code: '10.4', case_type: 'chargeback' } },
    })
    expect(opened.dispute.evidence_details.due_by).toBe(T0 + 9 * DAY - 1)
    expect(opened.balanceTransaction).toMatchObject({
      amount: -4000,
      fee: 1500,
      net: -5500,
      type: 'adjustment',
    })
    expect((await client.charges.retrieve(sale.charge.id)).disputed).toBe(true)

    const won = shop.closeDispute(opened.dispute, 'won', { at: T0 + 30 * DAY })
    expect(typesOf(won.events)).toEqual(['charge.dispute.funds_reinstated', 'charge.dispute.closed'])
    expect(won.dispute.status).toBe('won')
    expect(won.balanceTransaction).toMatchObject({
      amount: 4000,
      fee: 0,
      net: 4000,
      reporting_category: 'dispute_reversal',
    })
    expect(won.dispute.balance_transactions.map((bt) => bt.amount)).toEqual([-4000, 4000])
    const got = await client.disputes.retrieve(opened.dispute.id)
    expect(got.status).toBe('won')
    expect(() => shop.closeDispute(opened.dispute, 'lost')).toThrow(/already closed/)
  })

  it('closes a lost dispute with charge.dispute.closed only', async () => {
    const { shop } = await startShop()
    const sale = shop.sale({ amount: 4000, currency: 'gbp' })
    const opened = shop.dispute(sale.charge, { reason: 'product_not_received' })
    expect(opened.balanceTransaction?.fee).toBe(2000)
    const lost = shop.closeDispute(opened.dispute.id, 'lost')
    expect(typesOf(lost.events)).toEqual(['charge.dispute.closed'])
    expect(lost.dispute).toMatchObject({ status: 'lost', reason: 'product_not_received' })
    expect(lost.balanceTransaction).toBeUndefined()
  })
})

describe('determinism', () => {
  it('repeats ids and events for the same seed, whatever requests happen in between', async () => {
    const run = async (requests: number) => {
      const sim = new StripeSimulator({ seed: 99 })
      const account = sim.createAccount({ id: 'acct_1Determinism0001' })
      const key = sim.createKey({ account: account.id, kind: 'secret', mode: 'test' })
      for (let i = 0; i < requests; i++) {
        await sim.handle(
          new Request('https://api.stripe.com/v1/events', { headers: { Authorization: `Bearer ${key}` } }),
        )
      }
      const shop = sim.business(account.id)
      const jane = shop.customer({ email: 'jane@example.com', at: T0 })
      const { price } = shop.product({
        name: 'Pro',
        unitAmount: 900,
        recurring: { interval: 'year' },
        at: T0,
      })
      const sub = shop.subscribe({ customer: jane, price, at: T0 })
      return [
        jane.id,
        sub.subscription.id,
        sub.charge?.id,
        ...sub.events.map((event) => `${event.id} ${event.type}`),
      ]
    }
    expect(await run(0)).toEqual(await run(3))
  })
})
