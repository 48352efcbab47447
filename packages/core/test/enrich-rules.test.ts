import { Keyv } from 'keyv'
import type Stripe from 'stripe'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CashNotify, type DomainEvent, REQUIRED_PERMISSIONS, silentLogger } from '../src/index.js'
import { CURRENT_VERSION, invoicePayment, nowSeconds, OLD_VERSION, replay, shop } from './enrich-helpers.js'
import { ALL_PERMISSIONS } from './helpers.js'
import { advance, START, UNPACED } from './polling-helpers.js'

beforeEach(() => {
  vi.useFakeTimers({ now: START })
})
afterEach(() => {
  vi.useRealTimers()
})

const isCharge = (e: Stripe.Event): boolean =>
  e.type.startsWith('charge.') || e.type.startsWith('payment_intent.')

describe.each([OLD_VERSION, CURRENT_VERSION])('exactly one sale per payment at %s', (apiVersion) => {
  it.each([
    ['charge first, invoice in a later poll', (e: Stripe.Event) => isCharge(e)],
    ['invoice first, charge in a later poll', (e: Stripe.Event) => !isCharge(e)],
  ])('%s, with or without waiting to settle', async (_name, firstHalf) => {
    for (const settle of [0, 2_000]) {
      const s = await shop({ cashnotify: { settle } })
      const events = invoicePayment(s.sim, s.accountId, apiVersion)
      replay(s.sim, s.accountId, events.filter(firstHalf))
      await s.run(1_000)
      replay(
        s.sim,
        s.accountId,
        events.filter((e) => !firstHalf(e)),
      )
      await s.run(10_000)
      expect(s.of('sale'), `settle ${settle}`).toHaveLength(1)
      // Given the time to settle, the sale has its invoice's products even when the charge came first.
      if (settle > 0) expect(s.of('sale')[0]?.products.map((p) => p.name)).toEqual(['Pro plan'])
      await s.cn.stop()
    }
  })

  it('across a restart between the two halves', async () => {
    const store = new Keyv()
    const s = await shop({ cashnotify: { store, settle: 0 } })
    const events = invoicePayment(s.sim, s.accountId, apiVersion)
    replay(s.sim, s.accountId, events.filter(isCharge))
    await s.run(2_000)
    await s.cn.stop()
    replay(
      s.sim,
      s.accountId,
      events.filter((e) => !isCharge(e)),
    )
    const again = new CashNotify({
      store,
      stripe: { fetch: s.fetch },
      pollInterval: 1_000,
      budget: { startFull: false },
      readAllocation: UNPACED,
      logger: silentLogger,
    })
    const later: DomainEvent[] = []
    again.on('event', (e) => void later.push(e))
    await again.addAccount({ apiKey: s.key })
    await again.start()
    await advance(10_000)
    await again.stop()
    expect(s.of('sale')).toHaveLength(1)
    expect(later.filter((e) => e.type === 'sale')).toEqual([])
  })
})

describe('with each required permission missing alone', () => {
  async function subscriptionSale(missing: string) {
    const s = await shop({ permissions: ALL_PERMISSIONS.filter((p) => p !== missing) })
    const biz = s.sim.business(s.accountId)
    const jane = biz.customer({ email: 'jane@example.com', name: 'Jane', country: 'FR' })
    const pro = biz.product({
      name: 'Pro plan',
      unitAmount: 4900,
      currency: 'usd',
      recurring: { interval: 'month' },
    })
    biz.subscribe({ customer: jane, price: pro.price })
    const { arrival } = biz.payout({ amount: 10_000, status: 'paid', at: nowSeconds() })
    await s.run()
    // The payout is paid on its arrival date, two days on: the clock jumps there.
    vi.setSystemTime(arrival.at * 1000)
    await s.run()
    await s.cn.stop()
    const [sale, ...more] = s.of('sale')
    expect(more).toEqual([])
    if (!sale) throw new Error('no sale')
    return { s, sale }
  }

  it('without rak_balance_read: no fee or net, and says why', async () => {
    const { sale } = await subscriptionSale('rak_balance_read')
    expect(sale.fee).toBeUndefined()
    expect(sale.net).toBeUndefined()
    expect(sale.unavailable).toEqual({ fee: 'missing permission rak_balance_read' })
    expect(sale.customer?.email).toBe('jane@example.com')
    expect(sale.products.map((p) => p.name)).toEqual(['Pro plan'])
  })

  /** A subscription payment of a customer, product and subscription made long before: their objects must be read. */
  async function replayedSale(missing: string) {
    const s = await shop({ permissions: ALL_PERMISSIONS.filter((p) => p !== missing) })
    replay(s.sim, s.accountId, invoicePayment(s.sim, s.accountId, CURRENT_VERSION))
    await s.run(10_000)
    await s.cn.stop()
    const [sale, ...more] = s.of('sale')
    expect(more).toEqual([])
    if (!sale) throw new Error('no sale')
    return sale
  }

  it('without rak_customer_read: the customer record is unread, what the payment carries remains', async () => {
    const sale = await replayedSale('rak_customer_read')
    expect(sale.unavailable).toEqual({ customer: 'missing permission rak_customer_read' })
    expect(sale.customer).toMatchObject({ id: expect.stringMatching(/^cus_/), email: 'jane@example.com' })
    expect(sale.fee).toBeDefined()
    expect(sale.products.map((p) => p.name)).toEqual(['Pro plan'])
  })

  it('without rak_product_read: products by id, and says why', async () => {
    const sale = await replayedSale('rak_product_read')
    expect(sale.products[0]?.id).toMatch(/^prod_/)
    expect(sale.unavailable).toEqual({ productNames: 'missing permission rak_product_read' })
    expect(sale.customer?.email).toBe('jane@example.com')
  })

  it('without rak_subscription_read: only the subscription id, and says why', async () => {
    const sale = await replayedSale('rak_subscription_read')
    expect(sale.subscription).toEqual({ id: expect.stringMatching(/^sub_/) })
    expect(sale.unavailable).toEqual({ subscription: 'missing permission rak_subscription_read' })
    expect(sale.fee).toBeDefined()
  })

  it('with every permission, the same replayed sale is whole', async () => {
    const sale = await replayedSale('none')
    expect(sale.unavailable).toEqual({})
    expect(sale).toMatchObject({
      customer: { email: 'jane@example.com', country: 'US' },
      products: [{ name: 'Pro plan', quantity: 1 }],
      subscription: { status: 'active', interval: 'month' },
    })
  })

  it('without rak_invoice_read: events still carry the invoice, so nothing is lost', async () => {
    const { sale } = await subscriptionSale('rak_invoice_read')
    expect(sale.products.map((p) => p.name)).toEqual(['Pro plan'])
    expect(sale.unavailable).toEqual({})
  })

  it('without rak_invoice_read, a payment whose invoice event was not read says why it has no products', async () => {
    const s = await shop({ permissions: ALL_PERMISSIONS.filter((p) => p !== 'rak_invoice_read') })
    const events = invoicePayment(s.sim, s.accountId, OLD_VERSION)
    replay(s.sim, s.accountId, events.filter(isCharge))
    await s.run(10_000)
    await s.cn.stop()
    expect(s.of('sale')[0]?.unavailable.products).toBe('missing permission rak_invoice_read')
  })

  it('without rak_payout_read: payouts arrive whole', async () => {
    const { s } = await subscriptionSale('rak_payout_read')
    expect(s.of('payout.paid')[0]).toMatchObject({ amount: { amount: 10_000 }, unavailable: {} })
  })

  it('lists all seven as the minimum set', () => {
    expect(REQUIRED_PERMISSIONS).toHaveLength(7)
  })
})

describe('a permission lost while watching', () => {
  it('turns the account degraded once, with the feature lost, and back when the permission returns', async () => {
    const s = await shop()
    const statuses: Array<[string, string]> = []
    s.cn.on('account.status', ({ status, reason }) => void statuses.push([status, reason]))
    const biz = s.sim.business(s.accountId)
    biz.sale({ amount: 1_000, currency: 'usd' })
    await s.run()
    s.sim.setPermissions(
      s.key,
      ALL_PERMISSIONS.filter((p) => p !== 'rak_balance_read'),
    )
    for (let i = 0; i < 5; i++) {
      biz.sale({ amount: 2_000 + i, currency: 'usd' })
      await s.run()
    }
    expect(statuses).toEqual([['degraded', expect.stringContaining('no longer has rak_balance_read')]])
    const account = s.cn.account(`${s.accountId}/test`)
    expect(account?.featuresLost.map((f) => f.feature)).toEqual(['fees'])
    expect(
      s
        .of('sale')
        .slice(1)
        .every((sale) => sale.fee === undefined && sale.unavailable.fee),
    ).toBe(true)
    // Only the first of them asked Stripe: the refusal is remembered.
    expect(s.sim.requests.log.filter((e) => e.status === 403).length).toBe(1)

    s.sim.setPermissions(s.key, ALL_PERMISSIONS)
    vi.setSystemTime(Date.now() + 11 * 60_000)
    biz.sale({ amount: 3_000, currency: 'usd' })
    await s.run()
    expect(statuses.map(([status]) => status)).toEqual(['degraded', 'active'])
    expect(s.of('sale').at(-1)?.fee).toBeDefined()
    expect(s.cn.account(`${s.accountId}/test`)?.featuresLost).toEqual([])
    await s.cn.stop()
  })
})
