import { afterEach, describe, expect, it, vi } from 'vitest'
import { reviveNotification, storeNotification } from '../src/delivery/serialize.js'
import { fakeTimeAt, recorder, ruledShop } from './rules-helpers.js'

afterEach(() => {
  vi.useRealTimers()
})

describe('grouping bursts', () => {
  it('makes one notification of sales within the window, and sends a sale outside it on its own', async () => {
    fakeTimeAt('2026-11-02T12:00:00Z')
    const phone = recorder()
    const s = await ruledShop([{ notifier: phone, rules: { groupWithinSeconds: 30 } }], {
      pollInterval: 5_000,
    })
    const biz = s.sim.business(s.accountId)
    biz.sale({ amount: 4_900, currency: 'usd' })
    await s.run(10_000)
    biz.sale({ amount: 4_900, currency: 'usd' })
    await s.run(10_000)
    biz.sale({ amount: 4_900, currency: 'usd' })
    await s.run(10_000)
    expect(phone.sent).toEqual([])
    const [held] = await s.cn.held()
    expect(held).toMatchObject({ reason: 'group', notificationIds: s.of('sale').map((sale) => sale.id) })

    await s.run(40_000)
    expect(phone.sent).toHaveLength(1)
    const [group] = phone.sent
    expect(group?.title).toBe('[test] 3 sales · $147.00 · Acme Inc')
    expect(group?.body).toBe('$49.00 · $49.00 · $49.00')
    expect(group?.amount).toMatchObject({ amount: 14_700, currency: 'usd' })
    expect(group?.group?.map((n) => n.id)).toEqual(held?.notificationIds)
    expect(group?.type).toBe('sale')
    expect(group?.event.id).toBe(s.of('sale')[0]?.id)
    expect(group?.id).toMatch(/^group:[0-9a-f]{32}$/)

    // Minutes later: alone in its window, sent as itself.
    await s.run(120_000)
    biz.sale({ amount: 1_500, currency: 'usd' })
    await s.run(60_000)
    expect(phone.sent).toHaveLength(2)
    expect(phone.sent[1]?.id).toBe(s.of('sale')[3]?.id)
    expect(phone.sent[1]?.group).toBeUndefined()
    await s.cn.stop()
  })

  it('keeps currencies apart, and never groups a large sale', async () => {
    fakeTimeAt('2026-11-02T12:00:00Z')
    const phone = recorder()
    const s = await ruledShop(
      [{ notifier: phone, rules: { groupWithinSeconds: 30, largeSale: { minAmount: { usd: 100_000 } } } }],
      { pollInterval: 5_000 },
    )
    const biz = s.sim.business(s.accountId)
    biz.sale({ amount: 4_900, currency: 'usd' })
    biz.sale({ amount: 2_000, currency: 'eur' })
    biz.sale({ amount: 150_000, currency: 'usd' })
    biz.sale({ amount: 100, currency: 'usd' })
    await s.run(10_000)
    expect(phone.sent.map((n) => n.title)).toEqual(['[test] $1,500.00 sale · Acme Inc'])
    await s.run(60_000)
    expect(phone.sent.map((n) => n.title).sort()).toEqual([
      '[test] $1,500.00 sale · Acme Inc',
      '[test] 2 sales · $50.00 · Acme Inc',
      '[test] €20.00 sale · Acme Inc',
    ])
    await s.cn.stop()
  })

  it('stores a grouped notification and reads it back equal, members and marks included', async () => {
    fakeTimeAt('2026-11-02T12:00:00Z')
    const phone = recorder()
    const s = await ruledShop(
      [{ notifier: phone, rules: { groupWithinSeconds: 30, firstSaleOfDay: true, timeZone: 'UTC' } }],
      { pollInterval: 5_000 },
    )
    const biz = s.sim.business(s.accountId)
    biz.sale({ amount: 4_900, currency: 'usd' })
    biz.sale({ amount: 100, currency: 'usd' })
    await s.run(60_000)
    const [group] = phone.sent
    expect(group?.marks).toEqual([{ type: 'first_sale_of_day', day: '2026-11-02' }])
    const stored = JSON.parse(JSON.stringify(storeNotification(group!)))
    expect(reviveNotification(stored)).toEqual(group)
    await s.cn.stop()
  })
})
