import { Keyv } from 'keyv'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { CashNotify } from '../src/index.js'
import { UNPACED } from './polling-helpers.js'
import { fakeTimeAt, recorder, ruledShop, runUntil, sell } from './rules-helpers.js'

afterEach(() => {
  vi.useRealTimers()
})

const quietHours = { from: '22:00', to: '08:00', timeZone: 'Europe/Paris' } // CET (UTC+1) in November

/** A second instance on the same store and account, as after a restart of the process. */
function restarted(
  store: Keyv,
  fetch: typeof globalThis.fetch,
  notifier: ReturnType<typeof recorder>,
): CashNotify {
  return new CashNotify({
    store,
    stripe: { fetch },
    budget: { startFull: false },
    readAllocation: UNPACED,
    backfill: 0,
    pollInterval: 60_000,
    notifiers: [{ notifier, rules: { quietHours } }],
  })
}

describe('a restart mid-hold', () => {
  it('keeps what is held across stop(), and releases it at start when its time passed meanwhile', async () => {
    fakeTimeAt('2026-11-02T22:00:00Z') // 23:00 in Paris
    const store = new Keyv()
    const first = recorder()
    const s = await ruledShop([{ notifier: first, rules: { quietHours } }], { store })
    await sell(s, 4_900)
    await sell(s, 2_000)
    await s.cn.stop()
    const ids = s.of('sale').map((sale) => sale.id)
    // Stopped, the hold is still there, in the store.
    expect((await s.cn.held()).map((h) => h.notificationIds)).toEqual([ids])
    expect(first.sent).toEqual([])

    vi.setSystemTime(Date.parse('2026-11-03T09:30:00Z')) // 10:30 in Paris: the quiet time ended while stopped
    const second = recorder()
    const again = restarted(store, s.fetch, second)
    expect((await again.held())[0]?.notificationIds).toEqual(ids)
    await again.addAccount({ apiKey: s.key })
    await again.start()
    await vi.advanceTimersByTimeAsync(1_000)
    expect(second.sent.map((n) => n.title)).toEqual(['[test] While you were away: 2 sales · $69.00'])
    expect(second.sent[0]?.group?.map((n) => n.id)).toEqual(ids)
    expect(await again.held()).toEqual([])
    await again.close()
    expect(vi.getTimerCount()).toBe(0)
  })

  it('releases at its time a hold taken over by a new instance before that time', async () => {
    fakeTimeAt('2026-11-02T22:00:00Z')
    const store = new Keyv()
    const s = await ruledShop([{ notifier: recorder(), rules: { quietHours } }], { store })
    await sell(s, 4_900)
    await s.cn.stop()

    const second = recorder()
    const again = restarted(store, s.fetch, second)
    await again.addAccount({ apiKey: s.key })
    await again.start()
    await vi.advanceTimersByTimeAsync(Date.parse('2026-11-03T06:59:00Z') - Date.now())
    expect(second.sent).toEqual([])
    await vi.advanceTimersByTimeAsync(120_000)
    expect(second.sent.map((n) => n.id)).toEqual([s.of('sale')[0]?.id])
    await again.close()
  })

  it('moves a burst that ends in quiet hours into the quiet hold', async () => {
    fakeTimeAt('2026-11-02T20:59:30Z') // 21:59:30 in Paris
    const phone = recorder()
    const s = await ruledShop([{ notifier: phone, rules: { quietHours, groupWithinSeconds: 60 } }], {
      pollInterval: 5_000,
    })
    s.sim.business(s.accountId).sale({ amount: 4_900, currency: 'usd' })
    await s.run(10_000)
    expect((await s.cn.held()).map((h) => h.reason)).toEqual(['group'])
    await s.run(120_000)
    expect(phone.sent).toEqual([])
    const [held] = await s.cn.held()
    expect(held).toMatchObject({ reason: 'quiet_hours', releaseAt: new Date('2026-11-03T07:00:00Z') })
    // No more polls (they would make the night slow to fake): only the release timer runs.
    await s.cn.removeAccount(s.accountId.concat('/test'), { keepState: true })
    await runUntil(s, '2026-11-03T07:01:00Z')
    expect(phone.sent.map((n) => n.id)).toEqual([s.of('sale')[0]?.id])
    await s.cn.stop()
  })
})
