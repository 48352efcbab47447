import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RequestBudget } from '../src/stripe/request-budget.js'

/** Send times (ms since start) of `count` requests pushed through a budget at once. */
async function sendTimes(budget: RequestBudget, requests: Array<[endpoint: string]>): Promise<number[]> {
  const start = Date.now()
  const times: number[] = []
  const all = Promise.all(
    requests.map(([endpoint]) => budget.run(endpoint, async () => void times.push(Date.now() - start))),
  )
  await vi.runAllTimersAsync()
  await all
  return times.sort((a, b) => a - b)
}

function maxInAnyWindow(times: number[], windowMs = 1000): number {
  return Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + windowMs).length))
}

describe('RequestBudget', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('never sends more than the account cap in any one-second window', async () => {
    const budget = new RequestBudget('test', {
      testPerSecond: 5,
      perEndpointPerSecond: 100,
      startFull: false,
    })
    const times = await sendTimes(
      budget,
      Array.from({ length: 23 }, (_, i) => [`GET /v1/e${i % 4}`] as [string]),
    )
    expect(times).toHaveLength(23)
    expect(maxInAnyWindow(times)).toBe(5)
    expect(times.at(-1)).toBeGreaterThanOrEqual(4000)
  })

  it('caps one endpoint below the account cap, without slowing other endpoints', async () => {
    const budget = new RequestBudget('live', {
      livePerSecond: 100,
      perEndpointPerSecond: 3,
      startFull: false,
    })
    const start = Date.now()
    const byEndpoint = new Map<string, number[]>()
    const run = (endpoint: string): Promise<void> =>
      budget.run(endpoint, async () => {
        byEndpoint.set(endpoint, [...(byEndpoint.get(endpoint) ?? []), Date.now() - start])
      })
    const all = Promise.all([
      ...Array.from({ length: 9 }, () => run('GET /v1/events')),
      run('GET /v1/customers'),
    ])
    await vi.runAllTimersAsync()
    await all
    expect(maxInAnyWindow(byEndpoint.get('GET /v1/events') ?? [])).toBe(3)
    expect(byEndpoint.get('GET /v1/customers')).toEqual([0])
  })

  it('uses the live cap for live keys and holds everything during a pause', async () => {
    const budget = new RequestBudget('live', {
      livePerSecond: 50,
      testPerSecond: 1,
      perEndpointPerSecond: 50,
      startFull: false,
    })
    budget.pauseFor(2_000)
    const times = await sendTimes(
      budget,
      Array.from({ length: 10 }, () => ['GET /v1/events'] as [string]),
    )
    expect(times.every((t) => t >= 2_000)).toBe(true)
    expect(maxInAnyWindow(times)).toBe(10)
  })

  it('starts as if its last second were spent, so a restarted process cannot go over the limit', async () => {
    // A process that was killed may have sent its whole second's budget just before the new one started.
    const budget = new RequestBudget('test', { testPerSecond: 5, perEndpointPerSecond: 3 })
    const times = await sendTimes(
      budget,
      Array.from({ length: 8 }, (_, i) => [i < 4 ? 'GET /v1/events' : 'GET /v1/customers'] as [string]),
    )
    expect(times.every((t) => t >= 1_100)).toBe(true)
    // Then the budget as usual: at most 5 a second, and 3 per endpoint.
    expect(maxInAnyWindow(times)).toBe(5)
  })
})
