import { describe, expect, it } from 'vitest'
import { ManualClock } from '../src/index.js'
import { errorOf, nth, rejection, startSimulator } from './helpers.js'

describe('rate limits', () => {
  it('answers the 26th test-mode read in one second 429 rate_limit with the global-rate reason', async () => {
    const window = new ManualClock(0)
    const { call, secret, sim } = await startSimulator({ rateLimitClock: window })
    const key = secret('test')
    const paths = ['/v1/events', '/v1/customers', '/v1/invoices', '/v1/payouts', '/v1/products']
    for (let i = 0; i < 25; i++) expect((await call(paths[i % 5] ?? '', { key })).status).toBe(200)
    const limited = await call('/v1/balance', { key })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('stripe-rate-limited-reason')).toBe('global-rate')
    expect(limited.headers.get('retry-after')).toBeNull()
    expect(await errorOf(limited)).toMatchObject({
      type: 'invalid_request_error',
      code: 'rate_limit',
      message:
        'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
    })
    expect(sim.requests.rateLimited).toBe(1)
    // The window rolls: 1000 ms after the first request, budget is back.
    window.advance(1000)
    expect((await call('/v1/balance', { key })).status).toBe(200)
  })

  it('limits one endpoint at perEndpointPerSecond with the endpoint-rate reason, other endpoints unaffected', async () => {
    const { call, secret } = await startSimulator({ rateLimitClock: new ManualClock(0) })
    const key = secret('live') // live mode: 100/s global, so the 25/s endpoint limit bites first
    for (let i = 0; i < 25; i++) expect((await call('/v1/events', { key })).status).toBe(200)
    const limited = await call('/v1/events?limit=1', { key })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('stripe-rate-limited-reason')).toBe('endpoint-rate')
    expect((await call('/v1/customers', { key })).status).toBe(200)
  })

  it('counts each account and mode apart', async () => {
    const { sim, call, secret } = await startSimulator({
      rateLimitClock: new ManualClock(0),
      rateLimits: { testReadPerSecond: 2 },
    })
    const other = sim.createAccount()
    const keys = [
      secret('test'),
      secret('live'),
      sim.createKey({ account: other.id, kind: 'secret', mode: 'test' }),
    ]
    for (const key of keys) {
      expect((await call('/v1/balance', { key })).status).toBe(200)
      expect((await call('/v1/balance', { key })).status).toBe(200)
    }
    expect((await call('/v1/balance', { key: nth(keys, 0) })).status).toBe(429)
    expect((await call('/v1/balance', { key: nth(keys, 1) })).status).toBe(200) // live: 100/s
  })

  it('surfaces as StripeRateLimitError in stripe-node', async () => {
    const { stripe, secret } = await startSimulator({
      rateLimitClock: new ManualClock(0),
      rateLimits: { testReadPerSecond: 1 },
    })
    const client = stripe(secret())
    await client.events.list({ limit: 1 })
    const err = await rejection(client.events.list({ limit: 1 }))
    expect(err.type).toBe('StripeRateLimitError')
    expect(err.statusCode).toBe(429)
    expect(err.code).toBe('rate_limit')
    expect(err.headers?.['stripe-rate-limited-reason']).toBe('global-rate')
  })

  it('does not spend budget on refused requests', async () => {
    const window = new ManualClock(0)
    const { call, secret } = await startSimulator({
      rateLimitClock: window,
      rateLimits: { testReadPerSecond: 1 },
    })
    const key = secret()
    expect((await call('/v1/balance', { key })).status).toBe(200)
    window.advance(500)
    expect((await call('/v1/balance', { key })).status).toBe(429)
    window.advance(500) // 1000 ms after the admitted one; the refused one does not hold the window
    expect((await call('/v1/balance', { key })).status).toBe(200)
  })

  it('can be turned off, and refuses nonsense limits', async () => {
    const { call, secret } = await startSimulator({ rateLimits: false, rateLimitClock: new ManualClock(0) })
    const key = secret()
    const statuses = await Promise.all(
      Array.from({ length: 60 }, () => call('/v1/balance', { key }).then((r) => r.status)),
    )
    expect(statuses.every((s) => s === 200)).toBe(true)
    await expect(startSimulator({ rateLimits: { testReadPerSecond: 0 } })).rejects.toThrow(
      'Expected `rateLimits.testReadPerSecond` to be an integer >= 1, got 0.',
    )
  })
})
