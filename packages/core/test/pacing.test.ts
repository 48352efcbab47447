import { Keyv } from 'keyv'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  type AccountStatusChange,
  type CashNotifyOptions,
  type DomainEvent,
  silentLogger,
} from '../src/index.js'
import { advance, business, type Fetch, fakeTimeSimulator, START, watcher } from './polling-helpers.js'

const DAY = 24 * 3600 * 1000

beforeEach(() => {
  vi.useFakeTimers({ now: START })
})
afterEach(() => {
  vi.useRealTimers()
})

/** A shop watched with the default read allocation (the helpers' own is unpaced). */
async function paced(
  options: CashNotifyOptions = {},
  seed?: (sim: ReturnType<typeof fakeTimeSimulator>['sim'], id: string) => void,
) {
  const { sim, fetch } = fakeTimeSimulator()
  const shop = business(sim)
  seed?.(sim, shop.id)
  const store = new Keyv()
  const w = watcher(fetch as Fetch, { store, readAllocation: {}, ...options })
  const sales: DomainEvent[] = []
  const statuses: AccountStatusChange[] = []
  w.cn.on('sale', (sale) => void sales.push(sale))
  w.cn.on('account.status', (change) => void statuses.push(change))
  // Counting a busy shop's payments takes more than a second of Stripe's rate limit: the clock moves.
  const adding = w.cn.addAccount({ apiKey: shop.key })
  await advance(3_000)
  const account = await adding
  await w.cn.start()
  const reads = (): number =>
    sim.requests.log.filter(
      (e) => e.account === shop.id && e.method === 'GET' && e.at > Date.now() - 30 * DAY,
    ).length
  return { sim, fetch, store, shop, account, sales, statuses, reads, ...w }
}

describe('polls paced by the read allocation', () => {
  it('keeps a month of a shop with 20 sales within half of the 10,000 reads Stripe allows', async () => {
    const s = await paced({ pollInterval: 5_000 })
    const biz = s.sim.business(s.shop.id)
    for (let day = 0; day < 30; day++) {
      if (day % 3 < 2) biz.sale({ amount: 2_000 + day, currency: 'usd' })
      await advance(day === 29 ? DAY - 2 * 3600 * 1000 : DAY)
    }
    expect(s.sales).toHaveLength(20)
    const usage = s.cn.readUsage(s.account)
    expect(usage.allocation).toBe(10_000)
    expect(usage.used30d).toBeLessThanOrEqual(0.5 * 10_000)
    // The ledger counts what Stripe counted (a month less two hours: every read is in both windows).
    expect(usage.used30d).toBe(s.reads())
    expect(usage.byKind.poll).toBeGreaterThan(4_000)
    expect(s.statuses).toEqual([])
    await s.cn.stop()
  }, 60_000)

  it('lets a shop with 3,000 sales a month poll at its shortest interval, within its allocation', async () => {
    const s = await paced({ pollInterval: 5_000 }, (sim, id) => {
      const biz = sim.business(id)
      // The last 30 days of a busy shop, before CashNotify watches it.
      const from = Math.floor(START / 1000) - 30 * 86_400
      for (let i = 0; i < 3_000; i++) biz.sale({ amount: 1_000, currency: 'usd', at: from + 60 + i * 860 })
    })
    // 5 s polls need 2,304 payments a month (17,280 polls a day at 45% of 500 reads each): no more is read.
    const first = s.cn.readUsage(s.account)
    expect(first.allocation).toBeGreaterThanOrEqual(2_304 * 500)
    expect(first.allocation).toBeLessThanOrEqual(2_400 * 500)
    expect(first.byKind.metadata).toBeLessThanOrEqual(24 + 4) // 24 pages of events, the account, its logo…
    const biz = s.sim.business(s.shop.id)
    for (let quarter = 0; quarter < 4; quarter++) {
      for (let i = 0; i < 4; i++) biz.sale({ amount: 1_000 + i, currency: 'usd' })
      await advance(15 * 60_000)
    }
    const usage = s.cn.readUsage(s.account)
    expect(usage.interval).toBe(5_000)
    expect(usage.byKind.poll).toBeGreaterThan(650) // about one poll every 5 s for an hour
    expect(usage.projected30d).toBeLessThanOrEqual(usage.share * usage.allocation)
    expect(s.sales.filter((sale) => !sale.backfill)).toHaveLength(16)
    expect(s.statuses).toEqual([])
    await s.cn.stop()
  }, 60_000)

  it('keeps the ledger across a restart', async () => {
    const first = await paced()
    await advance(DAY)
    await first.cn.stop()
    const before = first.cn.readUsage(first.account).used30d
    const again = watcher(first.fetch, { store: first.store, readAllocation: {} })
    const account = await again.cn.addAccount({ apiKey: first.shop.key })
    await again.cn.start()
    await advance(3600 * 1000)
    const after = again.cn.readUsage(account)
    expect(after.used30d).toBeGreaterThan(before)
    expect(after.used30d).toBe(first.reads())
    await again.cn.stop()
  }, 30_000)

  it('says when the pace would exceed the share, and when it no longer does', async () => {
    const s = await paced({ readAllocation: { share: 0.05 } })
    await advance(DAY)
    expect(s.statuses.map((c) => c.status)).toEqual(['read_allocation'])
    expect(s.statuses[0]?.reason).toMatch(/more than its share of Stripe's read allocation/)
    // Business grows: 1,000 payments raise the allocation to 500,000 reads a month.
    const biz = s.sim.business(s.shop.id)
    for (let i = 0; i < 1_000; i++) biz.sale({ amount: 1_000, currency: 'usd' })
    await advance(15 * 60_000)
    expect(s.statuses.map((c) => c.status)).toEqual(['read_allocation', 'active'])
    await s.cn.stop()
  }, 30_000)
  it('reads a backlog whole, faster than the pace, and says so', async () => {
    const infos: string[] = []
    const logger = { ...silentLogger, info: (message: string) => void infos.push(message) }
    const s = await paced({ pollInterval: 5_000, logger })
    await advance(60_000)
    expect(s.cn.readUsage(s.account).interval).toBeGreaterThanOrEqual(300_000)
    // 120 sales between two polls 10 minutes apart: about 360 events, four pages of 100.
    const biz = s.sim.business(s.shop.id)
    for (let i = 0; i < 120; i++) biz.sale({ amount: 1_000 + i, currency: 'usd' })
    await advance(700_000)
    expect(s.sales).toHaveLength(120)
    expect(
      infos.some((line) => /caught up \d+ new event\(s\) in [3-9] reads, faster than its pace/.test(line)),
    ).toBe(true)
    await s.cn.stop()
  }, 60_000)
})
