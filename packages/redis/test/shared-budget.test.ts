import { afterEach, describe, expect, it, vi } from 'vitest'
import { SharedRequestBudget, WINDOW_MS } from '../src/shared-budget.js'
import { sleep, useRedis } from './use-redis.js'

const redis = useRedis()

/** When a grant was asked for and when its answer came: Redis granted it somewhere in between. */
type Grant = { before: number; after: number }

/**
 * The shortest time any `n` grants can have been spread over, judged from the outside: with grants in the
 * order they were asked for, the latest answer among `n` in a row minus the first asking. A budget of
 * `n - 1` per window holds only if this is at least the window (never a false failure under load).
 */
function tightestSpan(grants: readonly Grant[], n: number): number {
  const sorted = [...grants].sort((a, b) => a.before - b.before)
  let tightest = Number.POSITIVE_INFINITY
  for (let i = 0; i + n <= sorted.length; i++) {
    const latest = Math.max(...sorted.slice(i, i + n).map((grant) => grant.after))
    tightest = Math.min(tightest, latest - (sorted[i]?.before ?? 0))
  }
  return tightest
}

/** `clients` budgets of one account, each on its own connection, all sending to `endpoints` until `ms`. */
async function hammer(options: {
  clients: number
  mode: 'live' | 'test'
  endpoints: readonly string[]
  ms: number
  caps: ConstructorParameters<typeof SharedRequestBudget>[4]
}): Promise<Map<string, Grant[]>> {
  const keys = redis.keys()
  const sent = new Map<string, Grant[]>(options.endpoints.map((endpoint) => [endpoint, []]))
  const until = Date.now() + options.ms
  const account = { ref: 'acct_1/test', mode: options.mode }
  await Promise.all(
    Array.from({ length: options.clients }, async (_, i) => {
      const budget = new SharedRequestBudget(await redis.client(), keys, account, `p${i}`, options.caps)
      // Each process sends to every endpoint at once, as a poller and its enrichment would.
      await Promise.all(
        options.endpoints.map(async (endpoint) => {
          while (Date.now() < until) {
            const before = Date.now()
            const wait = await budget.tryAcquire(endpoint)
            if (wait === 0) sent.get(endpoint)?.push({ before, after: Date.now() })
            else await sleep(Math.min(wait, until - Date.now()))
          }
        }),
      )
    }),
  )
  return sent
}

describe('SharedRequestBudget', () => {
  it('keeps three processes together under the account budget in every window, and uses it', async () => {
    const sent = await hammer({ clients: 3, mode: 'test', endpoints: ['GET /v1/events'], ms: 2500, caps: {} })
    const grants = sent.get('GET /v1/events') ?? []
    // Never 21 sends within one window of 1.1 s, whichever process sent them.
    expect(tightestSpan(grants, 21)).toBeGreaterThanOrEqual(WINDOW_MS)
    // Not starved either: about 20 per 1.1 s over 2.5 s (a full window, then two more).
    expect(grants.length).toBeGreaterThanOrEqual(40)
    expect(grants.length).toBeLessThanOrEqual(60)
  }, 10_000)

  it('caps each endpoint on its own, and the account across endpoints', async () => {
    const caps = { livePerSecond: 12, perEndpointPerSecond: 8 }
    const endpoints = ['GET /v1/events', 'GET /v1/charges/:id']
    const sent = await hammer({ clients: 3, mode: 'live', endpoints, ms: 2000, caps })
    const all: Grant[] = []
    for (const endpoint of endpoints) {
      const grants = sent.get(endpoint) ?? []
      expect(tightestSpan(grants, 9)).toBeGreaterThanOrEqual(WINDOW_MS)
      expect(grants.length).toBeGreaterThan(0)
      all.push(...grants)
    }
    expect(tightestSpan(all, 13)).toBeGreaterThanOrEqual(WINDOW_MS)
    expect(all.length).toBeGreaterThanOrEqual(20)
  }, 10_000)

  it('tells how long to wait when the window is full', async () => {
    const keys = redis.keys()
    const budget = new SharedRequestBudget(
      await redis.client(),
      keys,
      { ref: 'a/test', mode: 'test' },
      'p1',
      {
        testPerSecond: 2,
      },
    )
    expect(await budget.tryAcquire('GET /v1/events')).toBe(0)
    expect(await budget.tryAcquire('GET /v1/events')).toBe(0)
    const wait = await budget.tryAcquire('GET /v1/events')
    expect(wait).toBeGreaterThan(WINDOW_MS - 200)
    expect(wait).toBeLessThanOrEqual(WINDOW_MS)
  })

  it("pauses every process's requests of the account after a 429, not other accounts'", async () => {
    const keys = redis.keys()
    const [c1, c2] = [await redis.client(), await redis.client()]
    const one = new SharedRequestBudget(c1, keys, { ref: 'a/live', mode: 'live' }, 'p1')
    const other = new SharedRequestBudget(c2, keys, { ref: 'a/live', mode: 'live' }, 'p2')
    const elsewhere = new SharedRequestBudget(c2, keys, { ref: 'b/live', mode: 'live' }, 'p2')
    await one.pauseFor(800)
    await one.pauseFor(100) // a shorter pause does not cut the longer one
    const wait = await other.tryAcquire('GET /v1/events')
    expect(wait).toBeGreaterThan(600)
    expect(wait).toBeLessThanOrEqual(800)
    expect(await elsewhere.tryAcquire('GET /v1/events')).toBe(0)
  })

  it('stops waiting when its signal aborts', async () => {
    const keys = redis.keys()
    const budget = new SharedRequestBudget(await redis.client(), keys, { ref: 'a/test', mode: 'test' }, 'p1')
    await budget.pauseFor(5000)
    const controller = new AbortController()
    const waiting = budget.acquire('GET /v1/events', controller.signal)
    setTimeout(() => controller.abort(new Error('stopping')), 50)
    await expect(waiting).rejects.toThrow('stopping')
  })

  describe('acquire, on fake time', () => {
    afterEach(() => {
      vi.useRealTimers()
    })

    it('waits as long as Redis says, then asks again', async () => {
      const budget = new SharedRequestBudget(
        await redis.client(),
        redis.keys(),
        { ref: 'a/test', mode: 'test' },
        'p1',
      )
      // Connected first, on real time: only the budget's own waits are faked.
      vi.useFakeTimers({ toFake: ['setTimeout'] })
      const answers = [300, 120, 0]
      const asked = vi.spyOn(budget, 'tryAcquire').mockImplementation(async () => answers.shift() ?? 0)
      let done = false
      const acquiring = budget.acquire('GET /v1/events').then(() => {
        done = true
      })
      await vi.advanceTimersByTimeAsync(299)
      expect(asked).toHaveBeenCalledTimes(1)
      await vi.advanceTimersByTimeAsync(6) // the wait, plus at most 5 ms of jitter
      expect(asked).toHaveBeenCalledTimes(2)
      expect(done).toBe(false)
      await vi.advanceTimersByTimeAsync(125)
      await acquiring
      expect(asked).toHaveBeenCalledTimes(3)
      expect(done).toBe(true)
    })
  })
})
