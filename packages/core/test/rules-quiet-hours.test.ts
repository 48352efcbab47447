import { afterEach, describe, expect, it, vi } from 'vitest'
import { fakeTimeAt, recorder, ruledShop, runUntil, sell } from './rules-helpers.js'

afterEach(() => {
  vi.useRealTimers()
})

// New York is on EST (UTC−5) from 2026-11-01: 22:00 local is 03:00 UTC, 08:00 local is 13:00 UTC.
const quietHours = { from: '22:00', to: '08:00', timeZone: 'America/New_York' }

describe('quiet hours', () => {
  it('holds what arrives at night, across midnight, and sends it as one summary when the quiet time ends', async () => {
    fakeTimeAt('2026-11-03T02:50:00Z') // 21:50 in New York
    const phone = recorder()
    const s = await ruledShop([{ notifier: phone, rules: { quietHours } }])
    await sell(s, 1_500)
    expect(phone.sent.map((n) => n.title)).toEqual(['[test] $15.00 sale · Acme Inc'])

    await runUntil(s, '2026-11-03T03:30:00Z') // 22:30
    await sell(s, 4_900)
    await runUntil(s, '2026-11-03T05:30:00Z') // 00:30, the next local day
    await sell(s, 2_500)
    await sell(s, 10_000)
    expect(phone.sent).toHaveLength(1)
    const [held] = await s.cn.held()
    expect(held).toMatchObject({
      notifier: 'phone',
      reason: 'quiet_hours',
      releaseAt: new Date('2026-11-03T13:00:00Z'),
    })
    expect(held?.notificationIds).toEqual(
      s
        .of('sale')
        .slice(1)
        .map((sale) => sale.id),
    )

    await runUntil(s, '2026-11-03T12:59:00Z')
    expect(phone.sent).toHaveLength(1)
    await runUntil(s, '2026-11-03T13:00:30Z')
    expect(phone.sent).toHaveLength(2)
    const summary = phone.sent[1]
    expect(summary?.title).toBe('[test] While you were away: 3 sales · $174.00')
    expect(summary?.body).toBe('Acme Inc: 3 sales')
    expect(summary?.amount).toMatchObject({ amount: 17_400, currency: 'usd' })
    expect(summary?.group?.map((n) => n.id)).toEqual(held?.notificationIds)
    expect(summary?.event.id).toBe(held?.notificationIds[0])
    expect(await s.cn.held()).toEqual([])
    // The day goes on: sales are sent at once again.
    await sell(s, 700)
    expect(phone.sent.map((n) => n.title)[2]).toBe('[test] $7.00 sale · Acme Inc')
    await s.cn.stop()
  })

  it('holds only for the notifier that has them: the others get each sale at once', async () => {
    fakeTimeAt('2026-11-03T04:00:00Z') // 23:00 in New York
    const phone = recorder('phone')
    const log = recorder('log')
    const s = await ruledShop([{ notifier: phone, rules: { quietHours } }, log])
    await sell(s, 4_900)
    await sell(s, 1_000)
    expect(phone.sent).toEqual([])
    expect(log.sent.map((n) => n.id)).toEqual(s.of('sale').map((sale) => sale.id))
    await s.cn.stop()
  })

  it('applies the instance-wide rules to every notifier, unless one turns them off', async () => {
    fakeTimeAt('2026-11-03T04:00:00Z')
    const phone = recorder('phone')
    const log = recorder('log')
    const s = await ruledShop([phone, { notifier: log, rules: { quietHours: false } }], {
      rules: { quietHours },
    })
    await sell(s, 4_900)
    expect(phone.sent).toEqual([])
    expect(log.sent).toHaveLength(1)
    expect((await s.cn.held()).map((h) => h.notifier)).toEqual(['phone'])
    await s.cn.stop()
  })

  it('sends a large sale at once when it may bypass quiet hours, marked, and holds the rest', async () => {
    fakeTimeAt('2026-11-03T04:00:00Z')
    const phone = recorder()
    const s = await ruledShop([
      {
        notifier: phone,
        rules: { quietHours, largeSale: { minAmount: { USD: 50_000 }, bypassQuietHours: true } },
      },
    ])
    await sell(s, 60_000)
    await sell(s, 4_900)
    expect(phone.sent).toHaveLength(1)
    const [large] = phone.sent
    expect(large?.marks).toEqual([
      { type: 'large_sale', threshold: { amount: 50_000, currency: 'usd', formatted: '$500.00' } },
    ])
    expect(large?.body.split('\n')[0]).toBe('Large sale (from $500.00)')
    expect(large?.title).toBe('[test] $600.00 sale · Acme Inc')
    expect((await s.cn.held())[0]?.notificationIds).toEqual([s.of('sale')[1]?.id])
    await s.cn.stop()
  })

  it('holds a large sale too when it may not bypass quiet hours', async () => {
    fakeTimeAt('2026-11-03T04:00:00Z')
    const phone = recorder()
    const s = await ruledShop([
      { notifier: phone, rules: { quietHours, largeSale: { minAmount: { usd: 50_000 } } } },
    ])
    await sell(s, 60_000)
    expect(phone.sent).toEqual([])
    await runUntil(s, '2026-11-03T13:01:00Z')
    // One held notification goes out as itself, marks and all.
    expect(phone.sent.map((n) => [n.id, n.marks?.[0]?.type])).toEqual([[s.of('sale')[0]?.id, 'large_sale']])
    await s.cn.stop()
  })
})
