import { describe, expect, it } from 'vitest'
import { eventOf, objectOf, startShop, T0, typesOf } from './scenario-helpers.js'

const DAY = 86_400

describe('Business.authorize and capture (manual capture)', () => {
  it('authorizes without capturing: charge.succeeded with captured false, then amount_capturable_updated', async () => {
    const { shop, client } = await startShop()
    const held = shop.authorize({ amount: 10_000, currency: 'usd', guest: { email: 'guest@example.com' } })
    expect(typesOf(held.events)).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.amount_capturable_updated',
    ])
    expect(held.events.map((event) => event.created)).toEqual([T0, T0 + 1, T0 + 1])
    expect(objectOf(held.events, 'payment_intent.created')).toMatchObject({
      capture_method: 'manual',
      status: 'requires_payment_method',
      amount_capturable: 0,
    })
    expect(objectOf(held.events, 'charge.succeeded')).toMatchObject({
      amount: 10_000,
      amount_captured: 0,
      amount_refunded: 0,
      captured: false,
      paid: true,
      status: 'succeeded',
      balance_transaction: null,
      payment_method_details: { card: { amount_authorized: 10_000, capture_before: T0 + 1 + 7 * DAY } },
    })
    expect(objectOf(held.events, 'payment_intent.amount_capturable_updated')).toMatchObject({
      status: 'requires_capture',
      amount: 10_000,
      amount_capturable: 10_000,
      amount_received: 0,
      latest_charge: held.charge.id,
    })
    expect((await client.balanceTransactions.list()).data).toEqual([])
  })

  it('captures less than authorized: the captured amount everywhere money moved, the rest released as a refund', async () => {
    const { shop, client, clock } = await startShop()
    const held = shop.authorize({ amount: 10_000, currency: 'usd' })
    clock.set((T0 + 2 * DAY) * 1000)
    const captured = shop.capture(held.paymentIntent, { amount: 6_000 })
    expect(typesOf(captured.events)).toEqual(['charge.captured', 'payment_intent.succeeded'])
    expect(captured.events.map((event) => event.created)).toEqual([T0 + 2 * DAY, T0 + 2 * DAY])
    const charge = objectOf(captured.events, 'charge.captured')
    expect(charge).toMatchObject({
      amount: 10_000,
      amount_captured: 6_000,
      amount_refunded: 4_000,
      refunded: false,
      captured: true,
      balance_transaction: captured.balanceTransaction.id,
    })
    expect(objectOf(captured.events, 'payment_intent.succeeded')).toMatchObject({
      status: 'succeeded',
      amount: 10_000,
      amount_received: 6_000,
      amount_capturable: 0,
    })
    // 2.9% + 30¢ of the captured 60.00, not of the authorized 100.00.
    expect(captured.balanceTransaction).toMatchObject({
      amount: 6_000,
      fee: 204,
      net: 5_796,
      source: held.charge.id,
    })
    expect(captured.release).toMatchObject({
      amount: 4_000,
      charge: held.charge.id,
      payment_intent: held.paymentIntent.id,
      balance_transaction: null,
      status: 'succeeded',
      destination_details: { type: 'card', card: { type: 'reversal' } },
    })
    const withRefunds = await client.charges.retrieve(held.charge.id, { expand: ['refunds'] })
    expect(withRefunds.refunds?.data.map((refund) => refund.amount)).toEqual([4_000])
    expect((await client.paymentIntents.retrieve(held.paymentIntent.id)).amount_received).toBe(6_000)
  })

  it('refunds and disputes a partially captured charge up to what was captured, not what was authorized', async () => {
    const { shop } = await startShop()
    const held = shop.authorize({ amount: 10_000, currency: 'usd' })
    shop.capture(held.paymentIntent, { amount: 6_000 })
    expect(() => shop.refund(held.charge, { amount: 6_001 })).toThrow(/unrefunded amount .* \(6000\)/)
    const refunded = shop.refund(held.charge)
    expect(refunded.refund.amount).toBe(6_000)
    expect(refunded.charge).toMatchObject({ amount_refunded: 10_000, refunded: true })
    const other = shop.authorize({ amount: 5_000, currency: 'usd' })
    shop.capture(other.paymentIntent, { amount: 2_000 })
    expect(shop.dispute(other.charge).dispute.amount).toBe(2_000)
  })

  it('captures in full without a release, and refuses what Stripe refuses', async () => {
    const { shop } = await startShop()
    const held = shop.authorize({ amount: 3_000, currency: 'usd' })
    expect(() => shop.refund(held.charge)).toThrow(/not captured/)
    expect(() => shop.capture(held.paymentIntent, { amount: 3_001 })).toThrow(/at most the amount_capturable/)
    const full = shop.capture(held.paymentIntent)
    expect(full.release).toBeUndefined()
    expect(eventOf(full.events, 'charge.captured').data.object).toMatchObject({
      amount_captured: 3_000,
      amount_refunded: 0,
    })
    expect(() => shop.capture(held.paymentIntent)).toThrow(
      /is succeeded; only requires_capture can be captured/,
    )
  })
})
