import { describe, expect, it } from 'vitest'
import { maskKey } from '../src/ids.js'
import { ManualClock } from '../src/index.js'
import { startSimulator } from './helpers.js'

describe('request counters', () => {
  it('counts by key, endpoint (method + template) and account; 429s apart', async () => {
    const window = new ManualClock(Date.UTC(2025, 0, 1))
    const { sim, account, call, secret } = await startSimulator({
      rateLimitClock: window,
      rateLimits: { testReadPerSecond: 3 },
    })
    const [a, b] = [secret(), secret()]
    await call('/v1/events', { key: a })
    await call('/v1/events?limit=1', { key: a })
    await call('/v1/customers/cus_1', { key: b }) // 404, still counted
    await call('/v1/customers/cus_2', { key: b }) // 429: over 3/s
    await call('/v1/events') // no key
    expect(sim.requests.total).toBe(5)
    expect(sim.requests.byKey(a)).toBe(2)
    expect(sim.requests.byKey(b)).toBe(2)
    expect(sim.requests.byEndpoint('GET /v1/events')).toBe(3)
    expect(sim.requests.byEndpoint('GET /v1/customers/:id')).toBe(2)
    expect(sim.requests.byAccount(account.id)).toBe(4)
    expect(sim.requests.rateLimited).toBe(1)
    expect(sim.requests.log.map((e) => e.status)).toEqual([200, 200, 404, 429, 401])
  })

  it('logs masked keys only, with the account, mode and request id', async () => {
    const { sim, account, call, secret } = await startSimulator()
    const key = secret('live')
    const response = await call('/v1/balance', { key })
    const [entry] = sim.requests.log
    expect(entry).toMatchObject({
      method: 'GET',
      path: '/v1/balance',
      endpoint: 'GET /v1/balance',
      key: maskKey(key),
      account: account.id,
      livemode: true,
      status: 200,
      requestId: response.headers.get('request-id'),
    })
    expect(JSON.stringify(sim.requests.log)).not.toContain(key)
    expect(JSON.stringify(sim.requests.log)).not.toContain(key.slice(8, 40))
  })

  it('logs the names of the query parameters, never their values', async () => {
    const { sim, call, secret } = await startSimulator()
    await call('/v1/events?limit=3&created[gte]=1&types[]=charge.succeeded&types[]=charge.updated', {
      key: secret('test'),
    })
    expect(sim.requests.log[0]?.params).toEqual(['limit', 'created[gte]', 'types[]'])
    expect(JSON.stringify(sim.requests.log)).not.toContain('charge.updated')
  })

  it('reports requests per Unix second and the busiest rolling second per account', async () => {
    const t0 = Date.UTC(2025, 0, 1)
    const window = new ManualClock(t0)
    const { sim, account, call, secret } = await startSimulator({ rateLimitClock: window, rateLimits: false })
    const other = sim.createAccount()
    const key = secret()
    const otherKey = sim.createKey({ account: other.id, kind: 'secret', mode: 'test' })
    window.advance(600)
    for (let i = 0; i < 3; i++) await call('/v1/balance', { key }) // at t0+600
    window.advance(500)
    for (let i = 0; i < 4; i++) await call('/v1/balance', { key }) // at t0+1100: next calendar second
    await call('/v1/balance', { key: otherKey })
    const second = t0 / 1000
    expect(sim.requests.perSecond(account.id)).toEqual(
      new Map([
        [second, 3],
        [second + 1, 4],
      ]),
    )
    expect(sim.requests.perSecond().get(second + 1)).toBe(5)
    // 3 + 4 fall inside one rolling 1000 ms window even though they straddle calendar seconds.
    expect(sim.requests.maxPerSecond(account.id)).toBe(7)
    expect(sim.requests.maxPerSecond(other.id)).toBe(1)
    sim.requests.reset()
    expect(sim.requests.total).toBe(0)
    expect(sim.requests.byKey(key)).toBe(0)
    expect(sim.requests.log).toEqual([])
  })
})
