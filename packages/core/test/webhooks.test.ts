import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { advance, START } from './polling-helpers.js'
import { pushedShop } from './webhook-helpers.js'

const HOUR = 3_600_000

beforeEach(() => {
  vi.useFakeTimers({ now: START })
})
afterEach(() => {
  vi.useRealTimers()
})

/** GETs of the account's events in a span of the simulator's request log. */
function eventReads(s: Awaited<ReturnType<typeof pushedShop>>, from: number): number {
  return s.sim.requests.log.filter(
    (entry) =>
      entry.account === s.shop.id &&
      entry.method === 'GET' &&
      entry.path === '/v1/events' &&
      entry.at >= from,
  ).length
}

describe('Stripe webhooks', () => {
  it('emits a pushed sale within seconds, and once: the polls that read it later skip it', async () => {
    const s = await pushedShop()
    await advance(10_000)
    const biz = s.sim.business(s.shop.id)
    const before = Date.now()
    biz.sale({ amount: 4_200, currency: 'usd' })
    await advance(4_000)
    expect(s.sales).toHaveLength(1)
    expect(s.sales[0]?.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1_000)
    // Pushes arrive: polls only reconcile, every 15 minutes.
    expect(s.cn.readUsage(s.account).interval).toBe(900_000)
    const from = Date.now()
    await advance(2 * HOUR)
    expect(s.sales).toHaveLength(1)
    const ids = s.seen.map((event) => event.id)
    expect(new Set(ids).size).toBe(ids.length)
    expect(eventReads(s, from)).toBeGreaterThanOrEqual(7)
    expect(eventReads(s, from)).toBeLessThanOrEqual(9)
    expect(s.statuses).toEqual([])
    expect(s.sim.webhooks.stats().failed).toBe(0)
    await s.cn.stop()
  })

  it('loses nothing while webhooks are down for an hour: polls catch up, say so, and late retries are absorbed', async () => {
    const s = await pushedShop()
    const biz = s.sim.business(s.shop.id)
    biz.sale({ amount: 1_000, currency: 'usd' })
    await advance(5_000)
    expect(s.sales).toHaveLength(1)
    s.endpoint.down = true
    for (let i = 0; i < 6; i++) {
      biz.sale({ amount: 1_100 + i, currency: 'usd' })
      await advance(10 * 60_000)
    }
    expect(s.sales).toHaveLength(7)
    expect(s.statuses.map((change) => change.status)).toEqual(['webhooks_missing'])
    expect(s.statuses[0]?.reason).toMatch(/did not bring/)
    // Webhooks come back: Stripe's retries bring the hour's events again, and a new sale comes at once.
    s.endpoint.down = false
    biz.sale({ amount: 1_200, currency: 'usd' })
    await advance(5_000)
    expect(s.sales).toHaveLength(8)
    expect(s.statuses.map((change) => change.status)).toEqual(['webhooks_missing', 'active'])
    await advance(4 * HOUR)
    expect(s.sim.webhooks.upcoming()).toEqual([])
    expect(s.sim.webhooks.stats().failed).toBeGreaterThan(0)
    expect(s.sales).toHaveLength(8)
    expect(new Set(s.sales.map((sale) => sale.id)).size).toBe(8)
    const ids = s.seen.map((event) => event.id)
    expect(new Set(ids).size).toBe(ids.length)
    await s.cn.stop()
  })

  it('says when no webhook has arrived since the start though sales happened, and polls keep their pace', async () => {
    const s = await pushedShop()
    s.endpoint.down = true
    const biz = s.sim.business(s.shop.id)
    for (let i = 0; i < 3; i++) {
      biz.sale({ amount: 900 + i, currency: 'usd' })
      await advance(15 * 60_000)
    }
    expect(s.sales).toHaveLength(3)
    expect(s.statuses.map((change) => change.status)).toEqual(['webhooks_missing'])
    expect(s.cn.readUsage(s.account).interval).toBeLessThan(900_000)
    await s.cn.stop()
  })

  it('takes an endpoint that sends only some event types as working: the types it leaves out are not missed deliveries', async () => {
    // A poll a minute after an event would call it missed, were it a type the endpoint sends.
    const s = await pushedShop({ webhooks: { missedAfter: 60_000 } }, [
      'charge.succeeded',
      'payment_intent.succeeded',
    ])
    await advance(10_000)
    const biz = s.sim.business(s.shop.id)
    for (let hour = 0; hour < 3; hour++) {
      biz.sale({ amount: 1_500 + hour, currency: 'usd' })
      await advance(HOUR)
    }
    expect(s.sales).toHaveLength(3)
    // payment_intent.created, charge.updated … reach CashNotify only by polls, as they should.
    expect(s.statuses).toEqual([])
    expect(s.cn.readUsage(s.account).interval).toBe(900_000)
    await s.cn.stop()
  })

  it("counts the reads Stripe counts: readUsage matches the simulator's own count", async () => {
    const s = await pushedShop()
    const biz = s.sim.business(s.shop.id)
    for (let hour = 0; hour < 12; hour++) {
      biz.sale({ amount: 900 + hour, currency: 'usd' })
      await advance(HOUR)
    }
    expect(s.sales).toHaveLength(12)
    const usage = s.cn.readUsage(s.account)
    expect(usage.used30d).toBe(s.sim.readAllocation(s.shop.id).reads30d)
    // Twelve hours at one reconciling poll every 15 minutes, and each sale's look-ups.
    expect(usage.byKind.poll).toBeLessThanOrEqual(12 * 4 + 4)
    await s.cn.stop()
  })
})
