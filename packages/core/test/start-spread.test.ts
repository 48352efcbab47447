import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { startSpread } from '../src/instance/first-polls.js'
import { advance, business, fakeTimeSimulator, START, watcher } from './polling-helpers.js'

beforeEach(() => {
  vi.useFakeTimers({ now: START })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('start() with many accounts', () => {
  it('spreads their first polls evenly over the shortest interval, not all at one moment', async () => {
    const { sim, fetch } = fakeTimeSimulator()
    const w = watcher(fetch, { pollInterval: 10_000 })
    const shops = Array.from({ length: 10 }, () => business(sim))
    // Key checks and metadata read while the clock stands still take the request budget: let it move.
    for (const shop of shops) {
      const adding = w.cn.addAccount({ apiKey: shop.key })
      await advance(1_000)
      await adding
    }
    const startedAt = Date.now()
    await w.cn.start()
    const firsts = new Map<string, number>()
    await advance(10_000)
    for (const entry of sim.requests.log)
      if (entry.endpoint === 'GET /v1/events' && entry.at >= startedAt && entry.account)
        if (!firsts.has(entry.account)) firsts.set(entry.account, entry.at - startedAt)
    const offsets = [...firsts.values()].sort((a, b) => a - b)
    expect(offsets).toHaveLength(10)
    // One every second, the first at once: no two accounts' first polls share a moment.
    expect(offsets[0]).toBeLessThan(1_000)
    expect(offsets.at(-1)).toBeGreaterThanOrEqual(8_000)
    for (let i = 1; i < offsets.length; i++)
      expect((offsets[i] ?? 0) - (offsets[i - 1] ?? 0)).toBeGreaterThanOrEqual(500)
    await w.cn.stop()
  }, 60_000)
})

describe('startSpread, the first polls of start()', () => {
  const pollers = (count: number, log: string[]) =>
    Array.from({ length: count }, (_, i) => ({
      start: (delayMs: number) => void log.push(`poller ${i} after ${delayMs}`),
    }))

  it('starts 10,000 pollers evenly over the interval, turning the event loop between slices', async () => {
    vi.useRealTimers()
    const log: string[] = []
    const all = pollers(10_000, log)
    // Something else waiting for the event loop: it runs after the first slice, not after all 10,000.
    setImmediate(() => log.push('event loop'))
    await startSpread(all, 60_000, () => true)
    const turn = log.indexOf('event loop')
    expect(turn).toBeGreaterThan(0)
    expect(turn).toBeLessThanOrEqual(500)
    const delays = log.filter((line) => line !== 'event loop').map((line) => Number(line.split(' after ')[1]))
    expect(delays).toHaveLength(10_000)
    expect(delays[0]).toBe(0)
    expect(delays[5_000]).toBe(30_000)
    expect(delays.at(-1)).toBe(59_994)
  })

  it('starts no more pollers once stopped meanwhile', async () => {
    vi.useRealTimers()
    const log: string[] = []
    let running = true
    setImmediate(() => {
      running = false
    })
    await startSpread(pollers(2_000, log), 60_000, () => running)
    expect(log).toHaveLength(500)
  })
})
