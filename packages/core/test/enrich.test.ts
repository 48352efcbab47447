import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CURRENT_VERSION, nowSeconds, OLD_VERSION, type Shop, shop } from './enrich-helpers.js'
import { ALL_PERMISSIONS } from './helpers.js'
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

async function open(options: Parameters<typeof shop>[0] = {}): Promise<Shop> {
  current = await shop(options)
  return current
}

describe.each([OLD_VERSION, CURRENT_VERSION])('at API version %s', (apiVersion) => {
  it('makes one sale of a one-off card payment, with fee, net and customer', async () => {
    const s = await open()
    const biz = s.sim.business(s.accountId, { apiVersion })
    const jane = biz.customer({ email: 'jane@example.com', name: 'Jane Doe', country: 'FR' })
    const paid = biz.sale({ customer: jane, amount: 4900, currency: 'usd', description: 'Consulting' })
    await s.run()
    const [sale, ...more] = s.of('sale')
    expect(more).toEqual([])
    expect(sale).toMatchObject({
      id: `sale:${paid.paymentIntent.id}`,
      amount: { amount: 4900, currency: 'usd', formatted: '$49.00' },
      fee: { amount: paid.balanceTransaction.fee, currency: 'usd' },
      net: { amount: paid.balanceTransaction.net },
      customer: { id: jane.id, email: 'jane@example.com', name: 'Jane Doe', country: 'FR' },
      products: [],
      paymentIntentId: paid.paymentIntent.id,
      chargeId: paid.charge.id,
      description: 'Consulting',
      dashboardUrl: `https://dashboard.stripe.com/test/payments/${paid.paymentIntent.id}`,
      unavailable: {},
      livemode: false,
      backfill: false,
    })
    expect(sale?.stripeEvents.map((e) => e.type).sort()).toEqual([
      'charge.succeeded',
      'payment_intent.succeeded',
    ])
  })

  it('makes one sale of a paid one-off invoice, with its products', async () => {
    const s = await open()
    const biz = s.sim.business(s.accountId, { apiVersion })
    const jane = biz.customer({ email: 'jane@example.com', country: 'US' })
    const pro = biz.product({ name: 'Pro plan', unitAmount: 4900, currency: 'usd' })
    const book = biz.product({ name: 'E-book', unitAmount: 1500, currency: 'usd' })
    const paid = biz.sale({
      customer: jane,
      items: [
        { price: pro.price, quantity: 1 },
        { price: book.price, quantity: 2 },
      ],
    })
    await s.run()
    expect(s.of('sale')).toHaveLength(1)
    const [sale] = s.of('sale')
    expect(sale?.amount.amount).toBe(7900)
    expect(sale?.invoiceId).toBe(paid.invoice?.id)
    expect(sale?.products.map((p) => [p.name, p.quantity, p.amount?.amount])).toEqual([
      ['Pro plan', 1, 4900],
      ['E-book', 2, 3000],
    ])
    expect(sale?.fee?.amount).toBe(paid.balanceTransaction.fee)
  })

  it.each([12, 130])(
    'names every product of an invoice of %i lines, more than its event carries',
    async (count) => {
      const s = await open()
      const biz = s.sim.business(s.accountId, { apiVersion })
      const jane = biz.customer({ email: 'jane@example.com' })
      const items = Array.from({ length: count }, (_, i) => ({
        price: biz.product({ name: `Item ${i}`, unitAmount: 100 + i, currency: 'usd' }).price,
      }))
      biz.sale({ customer: jane, items })
      await s.run()
      const [sale] = s.of('sale')
      expect(sale?.products.map((p) => p.name)).toEqual(items.map((_, i) => `Item ${i}`))
      const pages = s.sim.requests.log.filter((e) => e.endpoint === 'GET /v1/invoices/:id/lines')
      expect(pages.length).toBe(Math.ceil(count / 100))
      expect(pages.slice(1).every((e) => e.params.includes('starting_after'))).toBe(true)
    },
  )

  it('makes one sale of a Checkout payment, with the guest’s details and its products', async () => {
    const s = await open()
    const biz = s.sim.business(s.accountId, { apiVersion })
    const tee = biz.product({ name: 'T-shirt', unitAmount: 2500, currency: 'eur' })
    biz.sale({
      guest: { email: 'guest@example.com', country: 'DE' },
      items: [{ price: tee.price }],
      checkout: true,
    })
    await s.run()
    expect(s.of('sale').map((sale) => [sale.products.map((p) => p.name), sale.unavailable])).toEqual([
      [['T-shirt'], {}],
    ])
  })

  it('makes one sale of a Checkout payment without its products when the key has only the minimum', async () => {
    const s = await open({ permissions: ALL_PERMISSIONS.filter((p) => p !== 'rak_checkout_session_read') })
    const biz = s.sim.business(s.accountId, { apiVersion })
    const tee = biz.product({ name: 'T-shirt', unitAmount: 2500, currency: 'eur' })
    biz.sale({
      guest: { email: 'guest@example.com', name: 'Gus', country: 'DE' },
      items: [{ price: tee.price }],
      checkout: true,
    })
    await s.run()
    const [sale, ...more] = s.of('sale')
    expect(more).toEqual([])
    expect(sale?.amount.formatted).toBe('€25.00')
    expect(sale?.customer).toMatchObject({ email: 'guest@example.com', country: 'DE' })
    // Checkout's line items need a permission beyond the minimum: said, not guessed.
    expect(sale?.products).toEqual([])
    expect(sale?.unavailable.products).toBe('missing permission rak_checkout_session_read')
  })

  it('announces a subscription and its first payment, then a renewal, each sale with its subscription', async () => {
    const s = await open()
    const biz = s.sim.business(s.accountId, { apiVersion })
    const jane = biz.customer({ email: 'jane@example.com', country: 'US' })
    const pro = biz.product({
      name: 'Pro plan',
      unitAmount: 4900,
      currency: 'usd',
      recurring: { interval: 'month' },
    })
    const sub = biz.subscribe({ customer: jane, price: pro.price })
    await s.run()
    expect(s.of('subscription.created')).toHaveLength(1)
    expect(s.of('subscription.created')[0]).toMatchObject({
      subscription: {
        id: sub.subscription.id,
        status: 'active',
        interval: 'month',
        amount: { amount: 4900 },
      },
      customer: { email: 'jane@example.com' },
      products: [{ name: 'Pro plan', quantity: 1 }],
    })
    vi.setSystemTime(Date.now() + 31 * 24 * 3600 * 1000)
    biz.renew(sub.subscription, { at: nowSeconds() })
    await s.run()
    const sales = s.of('sale')
    expect(sales).toHaveLength(2)
    for (const sale of sales) {
      expect(sale.subscription).toMatchObject({ id: sub.subscription.id, interval: 'month' })
      expect(sale.products.map((p) => p.id)).toEqual([pro.product.id])
      expect(sale.fee).toBeDefined()
    }
  })

  it('announces a failed renewal with its decline code and the past-due subscription', async () => {
    const s = await open()
    const biz = s.sim.business(s.accountId, { apiVersion })
    const jane = biz.customer({ email: 'jane@example.com' })
    const pro = biz.product({
      name: 'Pro',
      unitAmount: 900,
      currency: 'usd',
      recurring: { interval: 'month' },
    })
    const sub = biz.subscribe({ customer: jane, price: pro.price })
    await s.run()
    vi.setSystemTime(Date.now() + 31 * 24 * 3600 * 1000)
    biz.failRenewal(sub.subscription, { declineCode: 'insufficient_funds', at: nowSeconds() })
    await s.run()
    const [failed, ...more] = s.of('payment.failed')
    expect(more).toEqual([])
    expect(failed).toMatchObject({
      amount: { amount: 900 },
      declineCode: 'insufficient_funds',
      customer: { email: 'jane@example.com' },
      subscription: { id: sub.subscription.id },
    })
    expect(failed?.reason).toBeTruthy()
    expect(s.of('sale')).toHaveLength(1)
  })

  it('announces trials ending and cancellations, scheduled and immediate', async () => {
    const s = await open()
    const biz = s.sim.business(s.accountId, { apiVersion })
    const jane = biz.customer({ email: 'jane@example.com' })
    const pro = biz.product({
      name: 'Pro',
      unitAmount: 900,
      currency: 'usd',
      recurring: { interval: 'month' },
    })
    const trial = biz.subscribe({ customer: jane, price: pro.price, trialDays: 14 })
    const other = biz.subscribe({ customer: jane, price: pro.price })
    await s.run()
    expect(s.of('sale')).toHaveLength(1) // the trial's $0 invoice is no sale
    vi.setSystemTime(Date.now() + 11 * 24 * 3600 * 1000)
    biz.trialWillEnd(trial.subscription)
    biz.cancel(other.subscription, { atPeriodEnd: true, feedback: 'too_expensive' })
    await s.run()
    biz.cancel(trial.subscription, { atPeriodEnd: false })
    await s.run()
    expect(s.of('subscription.trial_will_end')).toEqual([
      expect.objectContaining({ subscription: expect.objectContaining({ id: trial.subscription.id }) }),
    ])
    const canceled = s.of('subscription.canceled')
    expect(canceled.map((c) => [c.subscription.id, c.scheduled])).toEqual([
      [other.subscription.id, true],
      [trial.subscription.id, false],
    ])
    expect(canceled[0]?.reason).toBe('too_expensive')
    expect(canceled[0]?.endsAt).toBeInstanceOf(Date)
  })

  it('reports the captured amount of a payment captured for less than was authorised', async () => {
    const s = await open()
    const biz = s.sim.business(s.accountId, { apiVersion })
    const hold = biz.authorize({ amount: 10_000, currency: 'usd' })
    await s.run()
    expect(s.of('sale')).toEqual([])
    const captured = biz.capture(hold.paymentIntent, { amount: 6_000 })
    await s.run()
    const [sale, ...more] = s.of('sale')
    expect(more).toEqual([])
    expect(sale).toMatchObject({
      id: `sale:${hold.paymentIntent.id}`,
      amount: { amount: 6_000 },
      fee: { amount: captured.balanceTransaction.fee },
      net: { amount: captured.balanceTransaction.net },
    })
    // The released rest of the hold is no refund of the customer's money.
    expect(s.of('refund')).toEqual([])
    biz.refund(captured.charge)
    await s.run()
    expect(s.of('refund').map((r) => [r.amount.amount, r.full, r.chargeAmount?.amount])).toEqual([
      [6_000, true, 6_000],
    ])
  })

  it('announces a partial and then a full refund', async () => {
    const s = await open()
    const biz = s.sim.business(s.accountId, { apiVersion })
    const paid = biz.sale({ amount: 5000, currency: 'usd' })
    await s.run()
    biz.refund(paid.charge, { amount: 1000, reason: 'requested_by_customer' })
    await s.run()
    biz.refund(paid.charge)
    await s.run()
    expect(s.of('refund').map((r) => [r.amount.amount, r.full, r.chargeId])).toEqual([
      [1000, false, paid.charge.id],
      [4000, true, paid.charge.id],
    ])
  })

  it('announces a dispute and its outcome', async () => {
    const s = await open()
    const biz = s.sim.business(s.accountId, { apiVersion })
    const won = biz.sale({ amount: 5000, currency: 'usd' })
    const lost = biz.sale({ amount: 3000, currency: 'usd' })
    await s.run()
    const d1 = biz.dispute(won.charge, { reason: 'fraudulent' })
    const d2 = biz.dispute(lost.charge)
    await s.run()
    biz.closeDispute(d1.dispute, 'won')
    biz.closeDispute(d2.dispute, 'lost')
    await s.run()
    expect(s.of('dispute.created').map((d) => [d.chargeId, d.reason, d.amount.amount])).toEqual([
      [won.charge.id, 'fraudulent', 5000],
      [lost.charge.id, expect.any(String), 3000],
    ])
    expect(
      s
        .of('dispute.closed')
        .map((d) => d.outcome)
        .sort(),
    ).toEqual(['lost', 'won'])
  })

  it('announces payouts paid and failed', async () => {
    const s = await open()
    const biz = s.sim.business(s.accountId, { apiVersion })
    const paid = biz.payout({ amount: 120_000, status: 'paid', at: nowSeconds() })
    biz.payout({ amount: 5_000, status: 'failed', failureCode: 'account_closed', at: nowSeconds() })
    await s.run()
    expect(s.of('payout.paid')).toEqual([])
    // Stripe tells of a payout when it arrives, two days on: the clock jumps there.
    vi.setSystemTime(paid.arrival.at * 1000)
    await s.run()
    expect(s.of('payout.paid')).toEqual([
      expect.objectContaining({
        payoutId: paid.payout.id,
        amount: expect.objectContaining({ amount: 120_000 }),
      }),
    ])
    expect(s.of('payout.paid')[0]?.arrivalDate).toBeInstanceOf(Date)
    expect(s.of('payout.failed')[0]).toMatchObject({
      failureCode: 'account_closed',
      amount: { amount: 5_000 },
    })
  })
})

describe('currencies', () => {
  it.each([
    ['jpy', 4900, '¥4,900'],
    ['kwd', 4900, 'KWD 4.900'],
    ['eur', 4900, '€49.00'],
  ])('formats a %s sale', async (currency, amount, formatted) => {
    const s = await open()
    s.sim.business(s.accountId).sale({ amount, currency })
    await s.run()
    const [sale] = s.of('sale')
    expect(sale?.amount.formatted.replace(/\u00a0/g, ' ')).toBe(formatted)
    expect(sale?.fee?.currency).toBe(currency)
  })
})
