import { Keyv } from 'keyv'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { advance, business, charges, fakeTimeSimulator, START, watcher } from './polling-helpers.js'

beforeEach(() => {
  vi.useFakeTimers({ now: START })
})
afterEach(() => {
  vi.useRealTimers()
})

const now = (): number => Math.floor(Date.now() / 1000)

describe('what is history and what is new', () => {
  it('keeps new sales new when the process restarts before the first poll ever succeeded', async () => {
    const { sim, fetch } = fakeTimeSimulator()
    const shop = business(sim)
    const store = new Keyv()
    const first = watcher(fetch, { store })
    await first.cn.addAccount({ apiKey: shop.key })
    const outage = sim.faults.add({
      kind: 'server_error',
      endpoint: 'GET /v1/events',
      times: Number.POSITIVE_INFINITY,
    })
    await first.cn.start()
    await advance(2_000)
    const sales = charges(sim, shop.id, 6)
    await advance(3_000)
    await first.cn.stop()
    expect(first.seen).toEqual([])

    await advance(5_000)
    outage.remove()
    const second = watcher(fetch, { store })
    await second.cn.addAccount({ apiKey: shop.key })
    await second.cn.start()
    await advance(1_000)
    expect(second.seen.map((e) => [e.id, e.backfill])).toEqual(sales.map((e) => [e.id, false]))
    await second.cn.stop()
  })

  it.each([0, 5])(
    'never notifies as new what was created before the account was added (backfill %i, 150 events in the minute before)',
    async (backfill) => {
      const { sim, fetch } = fakeTimeSimulator()
      const shop = business(sim)
      // More than one page of events in the overlap window before the add (30 sales make as many).
      const before = Array.from(
        { length: 150 },
        (_, i) => charges(sim, shop.id, 1, { created: now() - 59 + (i % 59) })[0],
      )
      const { cn, seen } = watcher(fetch, { backfill })
      await cn.addAccount({ apiKey: shop.key })
      await cn.start()
      await advance(1_000)
      const after = charges(sim, shop.id, 2)
      await advance(3_000)
      const beforeIds = new Set(before.map((e) => e?.id))
      expect(seen.filter((e) => !e.backfill).map((e) => e.id)).toEqual(after.map((e) => e.id))
      expect(seen.filter((e) => e.backfill)).toHaveLength(backfill)
      expect(seen.filter((e) => e.backfill).every((e) => beforeIds.has(e.id))).toBe(true)
      // History first, oldest first; then what is new.
      expect(seen.map((e) => e.backfill)).toEqual([...Array(backfill).fill(true), false, false])
      await cn.stop()
    },
  )

  it('keeps the moment of the first add across restarts, and adds no second backfill', async () => {
    const { sim, fetch } = fakeTimeSimulator()
    const shop = business(sim)
    charges(sim, shop.id, 3, { created: now() - 10 })
    const store = new Keyv()
    const first = watcher(fetch, { store })
    await first.cn.addAccount({ apiKey: shop.key })
    await first.cn.start()
    await advance(1_000)
    await first.cn.stop()
    expect(first.seen.map((e) => e.backfill)).toEqual([true, true, true])
    const second = watcher(fetch, { store })
    await second.cn.addAccount({ apiKey: shop.key })
    await second.cn.start()
    const fresh = charges(sim, shop.id, 1)
    await advance(2_000)
    expect(second.seen.map((e) => [e.id, e.backfill])).toEqual(fresh.map((e) => [e.id, false]))
    await second.cn.stop()
  })
})
