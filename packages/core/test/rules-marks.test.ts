import { afterEach, describe, expect, it, vi } from 'vitest'
import { fakeTimeAt, recorder, ruledShop, runUntil, sell } from './rules-helpers.js'

afterEach(() => {
  vi.useRealTimers()
})

describe('first sale of the day', () => {
  it('marks the first sale of each local day, once', async () => {
    fakeTimeAt('2026-11-02T13:00:00Z') // 22:00 in Tokyo (UTC+9)
    const phone = recorder()
    const s = await ruledShop([{ notifier: phone, rules: { firstSaleOfDay: true, timeZone: 'Asia/Tokyo' } }])
    await sell(s, 4_900)
    await sell(s, 1_500)
    await runUntil(s, '2026-11-02T15:05:00Z') // 00:05 the next day in Tokyo
    await sell(s, 2_000)
    await sell(s, 3_000)
    expect(phone.sent.map((n) => n.marks ?? [])).toEqual([
      [{ type: 'first_sale_of_day', day: '2026-11-02' }],
      [],
      [{ type: 'first_sale_of_day', day: '2026-11-03' }],
      [],
    ])
    expect(phone.sent[0]?.body.split('\n')[0]).toBe('First sale of the day')
    expect(phone.sent[1]?.body).not.toContain('First sale')
    await s.cn.stop()
  })
})

describe('milestones', () => {
  it('marks the sale that takes the day past each milestone, once', async () => {
    fakeTimeAt('2026-11-02T12:00:00Z')
    const phone = recorder()
    const s = await ruledShop([
      { notifier: phone, rules: { milestones: { usd: [10_000, 20_000] }, timeZone: 'UTC' } },
    ])
    for (const amount of [4_000, 4_000, 4_000, 4_000, 15_000, 1_000]) await sell(s, amount)
    expect(
      phone.sent.map((n) =>
        n.marks?.map((mark) => (mark.type === 'milestone' ? mark.amount.formatted : mark.type)),
      ),
    ).toEqual([undefined, undefined, ['$100.00'], undefined, ['$200.00'], undefined])
    expect(phone.sent[2]?.body.split('\n')[0]).toBe("Today's sales passed $100.00")
    // Other currencies keep their own count: no milestone in euros.
    await sell(s, 50_000, 'eur')
    expect(phone.sent.at(-1)?.marks).toBeUndefined()
    await s.cn.stop()
  })

  it('marks a sale that passes two milestones at once with both, and hides the amounts in private mode', async () => {
    fakeTimeAt('2026-11-02T12:00:00Z')
    const phone = recorder()
    const s = await ruledShop(
      [
        {
          notifier: phone,
          rules: { milestones: { usd: [10_000, 20_000] }, largeSale: { minAmount: { usd: 25_000 } } },
        },
      ],
      { privacy: { amounts: true } },
    )
    await sell(s, 30_000)
    expect(phone.sent[0]?.marks?.map((mark) => mark.type)).toEqual(['large_sale', 'milestone', 'milestone'])
    expect(phone.sent[0]?.body.split('\n')[0]).toBe(
      "Large sale · Today's sales passed a milestone · Today's sales passed a milestone",
    )
    expect(phone.sent[0]?.body).not.toContain('$')
    await s.cn.stop()
  })
})
