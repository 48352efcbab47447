import { StripeSimulator } from '@cashnotify/stripe-simulator'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { StripeLookups } from '../src/enrich/lookups.js'
import { parseKey } from '../src/index.js'
import { StripeGateway } from '../src/stripe/client.js'
import { RequestBudget } from '../src/stripe/request-budget.js'
import { ALL_PERMISSIONS } from './helpers.js'

afterEach(() => {
  vi.useRealTimers()
})

describe('what an account keeps between polls', () => {
  it('caches Stripe objects without the HTTP response stripe-node hangs on them', async () => {
    const sim = new StripeSimulator({ seed: 5, rateLimits: false })
    const account = sim.createAccount({ businessName: 'Lean Inc' }).id
    const key = sim.createKey({ account, kind: 'restricted', mode: 'test', permissions: ALL_PERMISSIONS })
    const jane = sim.business(account).customer({ email: 'jane@example.com' })
    const inProcess = ((input: RequestInfo | URL, init?: RequestInit) =>
      sim.handle(new Request(input, init))) as typeof fetch
    const gateway = new StripeGateway(parseKey(key), new RequestBudget('test'), { fetch: inProcess })
    // stripe-node's own result carries it (not enumerable): the request, its socket, every header.
    const raw = await gateway.call('GET /v1/customers/:id', (stripe, auth) =>
      stripe.customers.retrieve(jane.id, {}, auth),
    )
    expect(raw).toMatchObject({ id: jane.id, email: 'jane@example.com' })
    expect(Object.getOwnPropertyDescriptor(raw, 'lastResponse')).toBeUndefined()
    const found = await new StripeLookups(gateway).customer(jane.id)
    expect(found.ok && Object.getOwnPropertyDescriptor(found.value, 'lastResponse')).toBe(undefined)
    await gateway.close()
  })

  it('keeps an endpoint’s window through a second of use, whatever windows of idle endpoints it drops', async () => {
    vi.useFakeTimers({ now: 0 })
    const budget = new RequestBudget(
      'test',
      { perEndpointPerSecond: 2, testPerSecond: 100, concurrency: 10, startFull: false },
      Date.now,
    )
    const sent: string[] = []
    const send = (endpoint: string) =>
      budget.run(endpoint, async () => {
        sent.push(`${endpoint}@${Date.now()}`)
      })
    // Twelve endpoints read once (a key check), then idle: their windows may go.
    await Promise.all(Array.from({ length: 12 }, (_, i) => send(`GET /v1/probe${i}`)))
    await vi.advanceTimersByTimeAsync(1_500)
    const a = [send('GET /v1/events'), send('GET /v1/events'), send('GET /v1/events')]
    // A new endpoint drops the idle windows, never the busy one: the third read still waits its second.
    await send('GET /v1/balance_transactions')
    await vi.advanceTimersByTimeAsync(500)
    expect(sent.filter((s) => s.startsWith('GET /v1/events@'))).toEqual([
      'GET /v1/events@1500',
      'GET /v1/events@1500',
    ])
    await vi.advanceTimersByTimeAsync(600)
    await Promise.all(a)
    const times = (endpoint: string): number[] =>
      sent.filter((s) => s.startsWith(`${endpoint}@`)).map((s) => Number(s.split('@')[1]))
    const [first, second, third] = times('GET /v1/events')
    expect([first, second]).toEqual([1_500, 1_500])
    expect(third).toBeGreaterThanOrEqual(2_500)
    // A dropped window is as good as new: two sends on a probe endpoint go out at once.
    const now = Date.now()
    await Promise.all([send('GET /v1/probe0'), send('GET /v1/probe0')])
    expect(times('GET /v1/probe0')).toEqual([0, now, now])
  })
})
