import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { parseKey } from '../src/index.js'
import { StripeGateway } from '../src/stripe/client.js'
import { RequestBudget } from '../src/stripe/request-budget.js'
import { business, fakeTimeSimulator, START } from './polling-helpers.js'

beforeEach(() => {
  vi.useFakeTimers({ now: START })
})
afterEach(() => {
  vi.useRealTimers()
})

function setup() {
  const { sim, fetch } = fakeTimeSimulator()
  const shop = business(sim)
  const key = parseKey(shop.key)
  const gateway = new StripeGateway(
    key,
    new RequestBudget('test', {}, Date.now),
    { fetch },
    {
      retries: 2,
      baseDelayMs: 1_000,
      random: () => 0.5,
    },
  )
  /** When (ms after START) the simulator received each request of an endpoint. */
  const times = (endpoint: string): number[] =>
    sim.requests.log.filter((entry) => entry.endpoint === endpoint).map((entry) => entry.at - START)
  return { sim, gateway, times }
}

describe('retries of a failed Stripe request', () => {
  it.each([
    ['a 503', { kind: 'server_error', status: 503 }],
    ['a 429', { kind: 'rate_limit' }],
  ] as const)(
    'wait their backoff after %s, and hold the account’s other requests meanwhile',
    async (_n, fault) => {
      const { sim, gateway, times } = setup()
      sim.faults.add({ ...fault, endpoint: 'GET /v1/customers', times: 1 })
      const first = gateway.call('GET /v1/customers', (s, auth) => s.customers.list({ limit: 1 }, auth))
      await vi.advanceTimersByTimeAsync(10)
      // Another request of the account, while the first waits for its retry.
      const other = gateway.call('GET /v1/products', (s, auth) => s.products.list({ limit: 1 }, auth))
      await vi.advanceTimersByTimeAsync(5_000)
      await Promise.all([first, other])
      const [failed, retried] = times('GET /v1/customers')
      // Backoff of the first retry: half of 1 s plus the jitter's half (random 0.5): 750 ms.
      expect(retried !== undefined && failed !== undefined && retried - failed).toBeGreaterThanOrEqual(750)
      expect(times('GET /v1/products')[0]).toBeGreaterThanOrEqual((failed ?? 0) + 750)
    },
  )

  it('give up after the retries allowed, with the last error', async () => {
    const { sim, gateway, times } = setup()
    sim.faults.add({ kind: 'server_error', endpoint: 'GET /v1/customers', times: 10 })
    const call = gateway
      .call('GET /v1/customers', (s, auth) => s.customers.list({ limit: 1 }, auth))
      .catch((e: unknown) => e)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(await call).toMatchObject({ code: 'stripe_unavailable' })
    expect(times('GET /v1/customers')).toHaveLength(3)
  })
})
