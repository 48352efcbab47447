import { describe, expect, it } from 'vitest'
import { nth } from './helpers.js'
import { JULY_1, subscribed, T0, typesOf } from './scenario-helpers.js'

const DAY = 86_400

describe('Business.failRenewal and cancel', () => {
  it('declines a renewal: failed charge and payment intent, open invoice, past_due; renew retries and recovers', async () => {
    const { shop, sub, client, clock } = await subscribed()
    clock.set(JULY_1 * 1000)
    const failed = shop.failRenewal(sub.subscription, { declineCode: 'insufficient_funds' })
    expect(typesOf(failed.events)).toEqual([
      'invoice.created',
      'customer.subscription.updated',
      'invoice.finalized',
      'payment_intent.created',
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
      'customer.subscription.updated',
    ])
    expect(failed.charge).toMatchObject({
      status: 'failed',
      paid: false,
      balance_transaction: null,
      failure_code: 'card_declined',
      failure_message: 'Your card has insufficient funds.',
      outcome: {
        type: 'issuer_declined',
        reason: 'insufficient_funds',
        network_status: 'declined_by_network',
      },
    })
    expect(failed.paymentIntent).toMatchObject({
      status: 'requires_payment_method',
      last_payment_error: {
        code: 'card_declined',
        decline_code: 'insufficient_funds',
        charge: failed.charge.id,
      },
    })
    expect(failed.invoice).toMatchObject({
      status: 'open',
      attempted: true,
      attempt_count: 1,
      amount_paid: 0,
    })
    expect(failed.invoice.next_payment_attempt).toBe(JULY_1 + 3 * DAY)
    expect(failed.subscription.status).toBe('past_due')
    const last = nth(failed.events, 7)
    expect(last.data.previous_attributes).toEqual({ status: 'active' })
    expect((await client.subscriptions.retrieve(sub.subscription.id)).status).toBe('past_due')

    // Smart Retries: the next attempt is due three days later.
    expect(() => shop.failRenewal(failed.subscription)).toThrow(/next payment attempt is due at 2025-07-04/)
    clock.set((JULY_1 + 3 * DAY) * 1000)
    const again = shop.failRenewal(failed.subscription)
    expect(typesOf(again.events)).toEqual([
      'charge.failed',
      'payment_intent.payment_failed',
      'invoice.payment_failed',
    ])
    expect(again.paymentIntent.id).toBe(failed.paymentIntent.id)
    expect(again.invoice).toMatchObject({ id: failed.invoice.id, attempt_count: 2 })

    clock.set((JULY_1 + 6 * DAY) * 1000)
    const recovered = shop.renew(failed.subscription)
    expect(typesOf(recovered.events)).toEqual([
      'charge.succeeded',
      'payment_intent.succeeded',
      'invoice.paid',
      'invoice.payment_succeeded',
      'invoice_payment.paid',
      'customer.subscription.updated',
    ])
    expect(recovered.invoice).toMatchObject({ id: failed.invoice.id, status: 'paid', attempt_count: 3 })
    expect(recovered.paymentIntent).toMatchObject({ id: failed.paymentIntent.id, status: 'succeeded' })
    expect(recovered.subscription.status).toBe('active')
    const charges = await client.charges.list({ payment_intent: failed.paymentIntent.id })
    expect(charges.data.map((charge) => charge.status)).toEqual(['succeeded', 'failed', 'failed'])
  })

  it('cancels at period end (an update), then ends it; or cancels at once (a deletion)', async () => {
    const { shop, sub, client, clock } = await subscribed()
    const scheduled = shop.cancel(sub.subscription, { atPeriodEnd: true, at: T0 + 5 * DAY })
    expect(typesOf(scheduled.events)).toEqual(['customer.subscription.updated'])
    expect(nth(scheduled.events, 0).data.previous_attributes).toEqual({
      cancel_at: null,
      cancel_at_period_end: false,
      canceled_at: null,
      cancellation_details: { reason: null },
    })
    expect(scheduled.subscription).toMatchObject({ cancel_at: JULY_1, status: 'active' })
    expect(() => shop.renew(sub.subscription)).toThrow(/cancels at period end/)
    expect(() => shop.cancel(sub.subscription, { atPeriodEnd: false })).toThrow(/cancels at 2025-07-01/)
    clock.set(JULY_1 * 1000)
    const ended = shop.cancel(sub.subscription, { atPeriodEnd: false })
    expect(typesOf(ended.events)).toEqual(['customer.subscription.deleted'])
    expect(ended.subscription).toMatchObject({
      status: 'canceled',
      ended_at: JULY_1,
      canceled_at: T0 + 5 * DAY,
    })
    expect((await client.subscriptions.list()).data).toEqual([])
    expect((await client.subscriptions.list({ status: 'canceled' })).data.map((s) => s.id)).toEqual([
      sub.subscription.id,
    ])

    const other = await subscribed()
    const now = other.shop.cancel(other.sub.subscription, { atPeriodEnd: false, feedback: 'too_expensive' })
    expect(nth(now.events, 0).data.object).toMatchObject({
      status: 'canceled',
      canceled_at: T0,
      ended_at: T0,
      cancellation_details: { reason: 'cancellation_requested', feedback: 'too_expensive' },
    })
    expect(() => other.shop.renew(other.sub.subscription)).toThrow(/canceled/)
  })
})
