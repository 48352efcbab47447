import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Notification } from '../src/index.js'
import { CURRENT_VERSION, type Shop, shop } from './enrich-helpers.js'
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

const BT = 'GET /v1/balance_transactions/:id'

async function open(): Promise<Shop & { plain: Notification[]; updates: Notification[] }> {
  const s = await shop()
  current = s
  const plain: Notification[] = []
  const updates: Notification[] = []
  s.cn.use({ name: 'plain', send: async (n) => void plain.push(n) })
  s.cn.use(
    { name: 'updates', send: async (n) => void updates.push(n) },
    { filter: { types: ['sale', 'sale.updated'] } },
  )
  return Object.assign(s, { plain, updates })
}

describe('a sale whose look-up fails for a reason that passes', () => {
  it('waits for the retry that succeeds, and goes out once, complete', async () => {
    const s = await open()
    s.sim.faults.add({ kind: 'server_error', status: 503, endpoint: BT, times: 3 })
    const paid = s.sim
      .business(s.accountId, { apiVersion: CURRENT_VERSION })
      .sale({ amount: 4_900, currency: 'usd' })
    await s.run(2_000)
    expect(s.of('sale')).toEqual([])
    await s.run(10_000)
    expect(s.of('sale').map((sale) => [sale.id, sale.fee?.amount, sale.unavailable])).toEqual([
      [`sale:${paid.paymentIntent.id}`, paid.balanceTransaction.fee, {}],
    ])
    expect(s.of('sale.updated')).toEqual([])
  })

  it('goes out incomplete after the hold, then is completed as sale.updated for the notifiers that ask', async () => {
    const s = await open()
    const outage = s.sim.faults.add({
      kind: 'server_error',
      status: 503,
      endpoint: BT,
      times: Number.POSITIVE_INFINITY,
    })
    const paid = s.sim
      .business(s.accountId, { apiVersion: CURRENT_VERSION })
      .sale({ amount: 4_900, currency: 'usd' })
    await s.run(25_000)
    expect(s.of('sale')).toEqual([])
    await s.run(10_000)
    const [sale] = s.of('sale')
    expect(sale?.fee).toBeUndefined()
    expect(sale?.unavailable.fee).toMatch(/Stripe is unavailable/)
    outage.remove()
    await s.run(5_000)
    const [updated, ...more] = s.of('sale.updated')
    expect(more).toEqual([])
    expect(updated).toMatchObject({
      id: `sale.updated:${paid.paymentIntent.id}`,
      saleId: `sale:${paid.paymentIntent.id}`,
      completed: ['fee'],
      fee: { amount: paid.balanceTransaction.fee },
      unavailable: {},
    })
    await s.run(10_000)
    expect(s.of('sale.updated')).toHaveLength(1)
    expect(s.plain.map((n) => n.type)).toEqual(['sale'])
    expect(s.updates.map((n) => [n.type, n.title])).toEqual([
      ['sale', `[test] $49.00 sale · Acme Inc`],
      ['sale.updated', `[test] $49.00 sale details · Acme Inc`],
    ])
  })
})
