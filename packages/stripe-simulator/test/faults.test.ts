import { afterEach, describe, expect, it, vi } from 'vitest'
import { StripeSimulator } from '../src/index.js'
import { errorOf, rejection, startSimulator } from './helpers.js'

afterEach(() => {
  vi.useRealTimers()
})

describe('fault injection', () => {
  it('server_error: answers Stripe api_error with the status, then recovers', async () => {
    const { sim, stripe, secret } = await startSimulator()
    const client = stripe(secret())
    sim.faults.add({ kind: 'server_error', status: 503, endpoint: 'GET /v1/events' })
    const err = await rejection(client.events.list())
    expect(err.type).toBe('StripeAPIError')
    expect(err.statusCode).toBe(503)
    expect(err.rawType).toBe('api_error')
    expect(err.message).toBe('An unknown error occurred')
    expect((await client.events.list()).object).toBe('list')
  })

  it('delay: holds the answer for delayMs of (fake) timer time', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout'] })
    const sim = new StripeSimulator({ rateLimits: false })
    const account = sim.createAccount()
    const key = sim.createKey({ account: account.id, kind: 'secret', mode: 'test' })
    sim.faults.add({ kind: 'delay', delayMs: 5000 })
    let settled = false
    const pending = sim
      .handle(
        new Request('https://api.stripe.com/v1/balance', { headers: { Authorization: `Bearer ${key}` } }),
      )
      .then((response) => {
        settled = true
        return response
      })
    await vi.advanceTimersByTimeAsync(4999)
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect((await pending).status).toBe(200)
  })

  it('reset: drops the connection; stripe-node retries a reset once by itself, a second one surfaces', async () => {
    const { sim, stripe, secret, call } = await startSimulator()
    const key = secret()
    sim.faults.add({ kind: 'reset', endpoint: 'GET /v1/balance' })
    await expect(call('/v1/balance', { key })).rejects.toThrow(TypeError)
    sim.faults.add({ kind: 'reset', times: 1 })
    expect((await stripe(key).balance.retrieve()).object).toBe('balance') // retried after ECONNRESET
    sim.faults.add({ kind: 'reset', times: 2 })
    const err = await rejection(stripe(key).balance.retrieve())
    expect(err.type).toBe('StripeConnectionError')
    expect(sim.requests.log.filter((entry) => entry.status === 0)).toHaveLength(4)
  })

  it('reset in the Fetch handler is a network error (Response.error())', async () => {
    const sim = new StripeSimulator()
    sim.faults.add({ kind: 'reset' })
    const response = await sim.handle(new Request('https://api.stripe.com/v1/events'))
    expect(response.type).toBe('error')
  })

  it('malformed: 200 with a truncated JSON body', async () => {
    const { sim, stripe, secret, call } = await startSimulator()
    const key = secret()
    sim.faults.add({ kind: 'malformed', times: 2 })
    const raw = await call('/v1/balance', { key })
    expect(raw.status).toBe(200)
    const text = await raw.text()
    expect(text.startsWith('{')).toBe(true)
    expect(() => JSON.parse(text)).toThrow(SyntaxError)
    const err = await rejection(stripe(key).balance.retrieve())
    expect(err.type).toBe('StripeAPIError')
    expect(err.message).toBe('Invalid JSON received from the Stripe API')
  })

  it('rate_limit: a 429 like a real one', async () => {
    const { sim, call, secret } = await startSimulator()
    sim.faults.add({ kind: 'rate_limit' })
    const response = await call('/v1/events', { key: secret() })
    expect(response.status).toBe(429)
    expect(response.headers.get('stripe-rate-limited-reason')).toBe('global-rate')
    expect(await errorOf(response)).toMatchObject({ code: 'rate_limit', type: 'invalid_request_error' })
    expect(sim.requests.rateLimited).toBe(1)
  })

  it('revoke: the matching request already meets a revoked key, and so do later ones', async () => {
    const { sim, stripe, secret } = await startSimulator()
    const key = secret()
    const client = stripe(key)
    sim.faults.add({ kind: 'revoke', key, endpoint: 'GET /v1/customers' })
    expect((await client.events.list()).object).toBe('list') // not matched
    const err = await rejection(client.customers.list())
    expect(err.statusCode).toBe(401)
    expect(err.message).toMatch(/^Invalid API Key provided: sk_test_\*+/)
    expect((await rejection(client.events.list())).statusCode).toBe(401)
  })

  it('remove_permission: takes one permission away when the matching request arrives', async () => {
    const { sim, stripe, restricted } = await startSimulator()
    const key = restricted(['rak_event_read', 'rak_customer_write'])
    const client = stripe(key)
    sim.faults.add({
      kind: 'remove_permission',
      permission: 'rak_customer_read',
      endpoint: 'GET /v1/customers',
    })
    const err = await rejection(client.customers.list())
    expect(err.statusCode).toBe(403)
    expect(err.message).toContain("'rak_customer_read'")
    expect((await client.events.list()).object).toBe('list')
  })

  it('matches by key and account, counts times, and can be removed or cleared', async () => {
    const { sim, account, call, secret } = await startSimulator()
    const [a, b] = [secret(), secret()]
    const other = sim.createAccount()
    const otherKey = sim.createKey({ account: other.id, kind: 'secret', mode: 'test' })
    const byKey = sim.faults.add({ kind: 'server_error', key: a, times: Number.POSITIVE_INFINITY })
    expect((await call('/v1/balance', { key: b })).status).toBe(200)
    expect((await call('/v1/balance', { key: a })).status).toBe(500)
    expect((await call('/v1/balance', { key: a })).status).toBe(500)
    expect(byKey.hits).toBe(2)
    byKey.remove()
    expect((await call('/v1/balance', { key: a })).status).toBe(200)
    sim.faults.add({ kind: 'server_error', account: account.id, times: 3 })
    expect((await call('/v1/balance', { key: otherKey })).status).toBe(200)
    expect((await call('/v1/balance', { key: b })).status).toBe(500)
    sim.faults.clear()
    expect(sim.faults.size).toBe(0)
    expect((await call('/v1/balance', { key: b })).status).toBe(200)
  })

  it('draws probability from the seed: the same seed fails the same requests', async () => {
    const pattern = async (seed: number): Promise<number[]> => {
      const sim = new StripeSimulator({ seed, rateLimits: false })
      const account = sim.createAccount()
      const key = sim.createKey({ account: account.id, kind: 'secret', mode: 'test' })
      sim.faults.add({ kind: 'server_error', probability: 0.5, times: Number.POSITIVE_INFINITY })
      const statuses: number[] = []
      for (let i = 0; i < 40; i++) {
        const request = new Request('https://api.stripe.com/v1/balance', {
          headers: { Authorization: `Bearer ${key}` },
        })
        statuses.push((await sim.handle(request)).status)
      }
      return statuses
    }
    const first = await pattern(7)
    expect(await pattern(7)).toEqual(first)
    const failures = first.filter((s) => s === 500).length
    expect(failures).toBeGreaterThan(5)
    expect(failures).toBeLessThan(35)
  })

  it('refuses malformed fault specs with a message saying what was expected', () => {
    const sim = new StripeSimulator()
    expect(() => sim.faults.add({ kind: 'delay' })).toThrow('A `delay` fault needs `delayMs`')
    expect(() => sim.faults.add({ kind: 'server_error', status: 404 })).toThrow('500..599, got 404')
    expect(() => sim.faults.add({ kind: 'reset', probability: 2 })).toThrow('between 0 and 1, got 2')
    expect(() => sim.faults.add({ kind: 'reset', times: 0 })).toThrow('integer >= 1 or Infinity, got 0')
    expect(() => sim.faults.add({ kind: 'remove_permission' })).toThrow('needs `permission`')
    expect(() => sim.faults.add({ kind: 'reset', endpoint: '/v1/events' })).toThrow("like 'GET /v1/events'")
  })
})
