import { ManualClock } from '../src/index.js'
import { startSimulator } from './helpers.js'
import { T0 } from './scenario-helpers.js'

const DAY = 86_400

/**
 * A simulator whose account runs at `apiVersion` and has lived through a whole business: every kind of
 * object the scenarios make (customers, products, sales with and without invoices and Checkout,
 * subscriptions with and without a trial or Checkout, renewals, a failed renewal and its recovery,
 * cancellations, refunds, disputes won and lost, a partial capture, payouts paid and failed), within
 * the 30 days events are kept. The clock ends after the last payout's arrival.
 */
export async function wholeBusiness(apiVersion: string) {
  const clock = new ManualClock(T0 * 1000)
  const context = await startSimulator({ clock, seed: 3 })
  const account = context.sim.createAccount({ businessName: 'Old Co', apiVersion, icon: true })
  const shop = context.sim.business(account.id, { shuffle: false })
  const at = (seconds: number): void => clock.set(seconds * 1000)

  const jane = shop.customer({ email: 'jane@example.com', name: 'Jane Doe', country: 'GB', phone: '+441234' })
  const { price: tee } = shop.product({ name: 'T-shirt', unitAmount: 2500, currency: 'usd' })
  const { price: plan } = shop.product({
    name: 'Pro',
    unitAmount: 4900,
    currency: 'usd',
    recurring: { interval: 'week' },
  })
  const quick = shop.sale({ amount: 1500, currency: 'usd', guest: { email: 'guest@example.com' } })
  const invoiced = shop.sale({
    customer: jane,
    items: [{ price: tee, quantity: 2 }],
    balanceTransactionLater: true,
  })
  shop.sale({ items: [{ price: tee }], checkout: true, guest: { email: 'gus@example.com', name: 'Gus' } })
  const lost = shop.sale({ customer: jane, amount: 3000, currency: 'usd', description: 'Consulting' })
  const weekly = shop.subscribe({ customer: jane, price: plan })
  const trial = shop.subscribe({ customer: jane, price: plan, trialDays: 14 })
  const viaCheckout = shop.subscribe({ customer: jane, price: plan, checkout: true })
  const held = shop.authorize({ amount: 10_000, currency: 'usd', customer: jane })

  shop.refund(quick.charge, { amount: 500 })
  shop.refund(quick.charge)
  const opened = shop.dispute(invoiced.charge, { reason: 'product_not_received' })
  const disputed = shop.dispute(lost.charge)
  shop.payout({ amount: 10_000, status: 'paid' })
  shop.payout({ amount: 2_000, status: 'failed', failureCode: 'account_closed' })

  at(T0 + DAY)
  shop.capture(held.paymentIntent, { amount: 6_000 })
  shop.closeDispute(opened.dispute, 'won')
  shop.closeDispute(disputed.dispute, 'lost')
  shop.cancel(viaCheckout.subscription, { atPeriodEnd: true })
  at(T0 + 7 * DAY)
  shop.failRenewal(weekly.subscription, { declineCode: 'insufficient_funds' })
  shop.cancel(viaCheckout.subscription, { atPeriodEnd: false })
  at(T0 + 10 * DAY)
  shop.renew(weekly.subscription)
  at(T0 + 11 * DAY)
  shop.trialWillEnd(trial.subscription)
  at(T0 + 14 * DAY)
  shop.renew(trial.subscription)
  shop.cancel(trial.subscription, { atPeriodEnd: false, feedback: 'too_expensive' })

  const key = context.sim.createKey({ account: account.id, kind: 'secret', mode: 'test' })
  return { ...context, account, clock, shop, key }
}
