import type Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { startShop, subscribed, T0 } from './scenario-helpers.js'

const DAY = 86_400

/** The earliest `created` of a call's events. */
const firstOf = (events: readonly Stripe.Event[]): number => Math.min(...events.map((event) => event.created))

describe('when scenario events are created', () => {
  it('creates every event of a call without `at` at the clock, never before it', async () => {
    const { shop, clock } = await startShop()
    const now = (): number => Math.floor(clock.now() / 1000)
    const jane = shop.customer({ email: 'jane@example.com' })
    const { price, events: productEvents } = shop.product({
      name: 'Pro',
      unitAmount: 900,
      recurring: { interval: 'week' },
    })
    const sale = shop.sale({ amount: 1000, currency: 'usd' })
    const calls: [string, readonly Stripe.Event[]][] = [
      ['product', productEvents],
      ['sale', sale.events],
      ['subscribe', shop.subscribe({ customer: jane, price }).events],
      ['authorize', shop.authorize({ amount: 2000, currency: 'usd', customer: jane }).events],
      ['payout', shop.payout({ amount: 500 }).events],
      ['refund', shop.refund(sale.charge, { amount: 100 }).events],
      ['dispute', shop.dispute(sale.charge).events],
    ]
    for (const [name, events] of calls) expect(firstOf(events), name).toBe(T0)
    clock.advance(3600_000)
    const held = shop.authorize({ amount: 3000, currency: 'usd' })
    clock.advance(60_000)
    expect(firstOf(shop.capture(held.paymentIntent, { amount: 1000 }).events)).toBe(now())
  })

  it('refuses a renewal, a retry, a trial warning or a scheduled end before it is due, unless `at` is given', async () => {
    const { shop, sub, clock } = await subscribed({ trialDays: 14 })
    expect(() => shop.trialWillEnd(sub.subscription)).toThrow(
      `[stripe-simulator] Subscription ${sub.subscription.id}'s trial_will_end is due at 2025-06-12T00:00:00Z, after the simulator clock (2025-06-01T00:00:00Z). Advance the clock to it, or pass \`at\`.`,
    )
    expect(() => shop.renew(sub.subscription)).toThrow(/period ends at 2025-06-15T00:00:00Z/)
    expect(() => shop.failRenewal(sub.subscription)).toThrow(/period ends at 2025-06-15T00:00:00Z/)
    // A caller who passes `at` decides the time, past or future.
    expect(firstOf(shop.trialWillEnd(sub.subscription, { at: T0 + 11 * DAY }).events)).toBe(T0 + 11 * DAY)
    clock.set((T0 + 20 * DAY) * 1000)
    // Late is fine: what was due happens now, when the call is made.
    expect(firstOf(shop.renew(sub.subscription).events)).toBe(T0 + 20 * DAY)
  })
})
