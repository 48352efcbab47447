import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { CURRENT_VERSION, expectOwnFees, type Shop, shop } from './enrich-helpers.js'
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

/** The account's Stripe requests after `from` (an index of the request log), by endpoint. */
function spentSince(s: Shop, from: number): (endpoint: string) => number {
  const log = s.sim.requests.log.slice(from).filter((e) => e.account === s.accountId)
  return (endpoint) => log.filter((e) => e.endpoint === endpoint).length
}

const POLL = { pollInterval: 30_000, maxPollInterval: 30_000 }

describe('the reads a sale costs for its fee and products', () => {
  it('reads the fees of a poll’s several sales with one list, and a lone sale’s by its id', async () => {
    const s = await shop({ cashnotify: POLL })
    current = s
    const biz = s.sim.business(s.accountId, { apiVersion: CURRENT_VERSION })
    await s.run(60_000)
    let from = s.sim.requests.log.length
    for (let i = 0; i < 5; i++) biz.sale({ amount: 1_000 + i * 100, currency: 'usd' })
    await s.run(60_000)
    let spent = spentSince(s, from)
    expect(s.of('sale')).toHaveLength(5)
    expect(spent('GET /v1/balance_transactions')).toBe(1)
    expect(spent('GET /v1/balance_transactions/:id')).toBe(0)

    from = s.sim.requests.log.length
    biz.sale({ amount: 4_900, currency: 'usd' })
    await s.run(60_000)
    spent = spentSince(s, from)
    expect(s.of('sale')).toHaveLength(6)
    expect(spent('GET /v1/balance_transactions')).toBe(0)
    expect(spent('GET /v1/balance_transactions/:id')).toBe(1)
    expectOwnFees(s)
  })

  it('reads a lost list’s fees one by one: a list Stripe refuses costs no sale its fee', async () => {
    const s = await shop({ cashnotify: POLL })
    current = s
    const biz = s.sim.business(s.accountId, { apiVersion: CURRENT_VERSION })
    await s.run(60_000)
    s.sim.faults.add({
      endpoint: 'GET /v1/balance_transactions',
      kind: 'server_error',
      times: Number.POSITIVE_INFINITY,
    })
    for (let i = 0; i < 3; i++) biz.sale({ amount: 2_000 + i, currency: 'usd' })
    await s.run(5 * 60_000)
    expect(s.of('sale')).toHaveLength(3)
    expectOwnFees(s)
  })

  it('with a standard secret key, reads a Checkout sale’s line items and fee in one request', async () => {
    const s = await shop({ kind: 'secret', cashnotify: POLL })
    current = s
    const biz = s.sim.business(s.accountId, { apiVersion: CURRENT_VERSION })
    const mug = biz.product({ name: 'Mug', unitAmount: 1_500 })
    await s.run(60_000)
    const from = s.sim.requests.log.length
    biz.sale({
      items: [{ price: mug.price, quantity: 2 }],
      checkout: true,
      guest: { email: 'g@example.com' },
    })
    await s.run(60_000)
    const spent = spentSince(s, from)
    expect(spent('GET /v1/checkout/sessions/:id')).toBe(1)
    expect(spent('GET /v1/checkout/sessions/:id/line_items')).toBe(0)
    expect(spent('GET /v1/balance_transactions/:id')).toBe(0)
    const [sale] = s.of('sale')
    expect(sale?.products).toEqual([expect.objectContaining({ name: 'Mug', quantity: 2 })])
    expectOwnFees(s)
  })

  it('with a restricted key, reads a Checkout sale’s line items and fee apart (never asking for what it lacks)', async () => {
    const s = await shop({ cashnotify: POLL })
    current = s
    const biz = s.sim.business(s.accountId, { apiVersion: CURRENT_VERSION })
    const mug = biz.product({ name: 'Mug', unitAmount: 1_500 })
    await s.run(60_000)
    const from = s.sim.requests.log.length
    biz.sale({ items: [{ price: mug.price }], checkout: true, guest: { email: 'g@example.com' } })
    await s.run(60_000)
    const spent = spentSince(s, from)
    expect(spent('GET /v1/checkout/sessions/:id')).toBe(0)
    expect(spent('GET /v1/checkout/sessions/:id/line_items')).toBe(1)
    expect(spent('GET /v1/balance_transactions/:id')).toBe(1)
    expect(s.sim.requests.log.slice(from).filter((e) => e.status === 403)).toEqual([])
    expect(s.of('sale')[0]?.products).toEqual([expect.objectContaining({ name: 'Mug' })])
    expectOwnFees(s)
  })

  it('reads every line of a Checkout of more than the 10 an expanded session shows', async () => {
    const s = await shop({ kind: 'secret', cashnotify: POLL })
    current = s
    const biz = s.sim.business(s.accountId, { apiVersion: CURRENT_VERSION })
    const products = Array.from({ length: 12 }, (_, i) => biz.product({ name: `P${i}`, unitAmount: 100 + i }))
    await s.run(60_000)
    biz.sale({
      items: products.map((p) => ({ price: p.price })),
      checkout: true,
      guest: { email: 'g@example.com' },
    })
    await s.run(60_000)
    expect(s.of('sale')[0]?.products.map((p) => p.name)).toEqual(products.map((_, i) => `P${i}`))
    expectOwnFees(s)
  })

  it('reads no customer for a renewal, which is no news', async () => {
    const s = await shop({ cashnotify: POLL })
    current = s
    const biz = s.sim.business(s.accountId, { apiVersion: CURRENT_VERSION })
    const jane = biz.customer({
      email: 'jane@example.com',
      name: 'Jane',
      country: 'FR',
      at: Math.floor(Date.now() / 1000) - 86_400,
    })
    const plan = biz.product({ name: 'Club', unitAmount: 900, recurring: { interval: 'month' } })
    const month = 31 * 86_400
    const { subscription } = biz.subscribe({
      customer: jane,
      price: plan.price,
      at: Math.floor(Date.now() / 1000) - month,
    })
    await s.run(60_000)
    const from = s.sim.requests.log.length
    const renewal = biz.renew(subscription, { at: Math.floor(Date.now() / 1000) })
    expect(renewal.events.map((e) => e.type)).toContain('customer.subscription.updated')
    await s.run(60_000)
    expect(spentSince(s, from)('GET /v1/customers/:id')).toBe(0)
    expect(s.of('sale').at(-1)?.customer).toEqual(expect.objectContaining({ email: 'jane@example.com' }))
  })
})
