import { describe, expect, it } from 'vitest'
import { DEFAULT_READ_ALLOCATION, ManualClock, StripeSimulator } from '../src/index.js'
import { errorOf, rejection, startSimulator } from './helpers.js'

const DAY = 24 * 60 * 60 * 1000
const START = Date.UTC(2025, 5, 1)

/** A simulator on a manual clock, without rate limits (a month of reads in a few seconds), over HTTP. */
function start(options: Parameters<typeof startSimulator>[0] = {}) {
  const clock = new ManualClock(START)
  return startSimulator({ clock, rateLimits: false, ...options }).then((context) => ({ ...context, clock }))
}

/** One GET through the Fetch handler (no HTTP), for runs of thousands of reads. */
function read(sim: StripeSimulator, key: string, path = '/v1/events'): Promise<Response> {
  return sim.handle(
    new Request(`https://api.stripe.com${path}`, { headers: { Authorization: `Bearer ${key}` } }),
  )
}

describe('read allocation', () => {
  it("counts an account's GETs of both modes over a rolling 30 days of the simulator clock, and nothing else", async () => {
    const { sim, account, clock, call, secret } = await start()
    const [test, live] = [secret('test'), secret('live')]
    await call('/v1/events', { key: test })
    await call('/v1/customers/cus_missing', { key: live }) // a 404 is still a read
    await call('/v1/events', { key: 'sk_test_unknown' }) // 401: not the account's
    await call('/v1/webhook_endpoints', {
      key: test,
      method: 'POST',
      body: 'url=https://a.example&enabled_events[]=*',
    })
    expect(sim.readAllocation(account.id)).toEqual({
      reads30d: 2,
      transactions30d: 0,
      allocation: 10_000,
      remaining: 9_998,
      enforced: false,
    })
    clock.advance(20 * DAY)
    await call('/v1/balance', { key: test })
    expect(sim.readAllocation(account.id).reads30d).toBe(3)
    clock.advance(10 * DAY) // the first two are exactly 30 days old: out of the window
    expect(sim.readAllocation(account.id).reads30d).toBe(1)
    clock.advance(20 * DAY)
    expect(sim.readAllocation(account.id).reads30d).toBe(0)
  })

  it('matches the reads of an hourly poll over 31 days of manual clock', async () => {
    const clock = new ManualClock(START)
    const sim = new StripeSimulator({ seed: 1, clock, rateLimits: false })
    const account = sim.createAccount()
    const key = sim.createKey({
      account: account.id,
      kind: 'restricted',
      mode: 'live',
      permissions: ['rak_event_read'],
    })
    for (let hour = 0; hour < 31 * 24; hour++) {
      expect((await read(sim, key)).status).toBe(200)
      clock.advance(DAY / 24)
    }
    // Now is hour 744; the window (now - 30 days, now] holds hours 25..743.
    expect(sim.readAllocation(account.id).reads30d).toBe(31 * 24 - 25)
    expect(sim.requests.byAccount(account.id)).toBe(31 * 24)
  })

  it('counts live charges that succeeded as transactions: 500 reads each, over the 10,000 floor', async () => {
    const { sim, account, clock } = await start()
    const live = sim.business(account.id, { livemode: true })
    for (let i = 0; i < 25; i++) live.sale({ amount: 1000, currency: 'usd' })
    live.authorize({ amount: 500, currency: 'usd', guest: { email: 'a@example.com' } }) // a hold succeeds too
    sim.business(account.id).sale({ amount: 1000, currency: 'usd' }) // test mode: no transaction
    const renewal = live.subscribe({
      customer: live.customer({ email: 'b@example.com' }),
      price: live.product({ name: 'Pro', unitAmount: 900, recurring: { interval: 'month' } }).price,
    })
    clock.advance(2_000)
    expect(sim.readAllocation(account.id)).toMatchObject({ transactions30d: 27, allocation: 13_500 })
    clock.set(START + 31 * DAY) // a month later, the sales have left the window
    live.failRenewal(renewal.subscription, { declineCode: 'insufficient_funds' }) // a failed charge: none
    expect(sim.readAllocation(account.id)).toMatchObject({ transactions30d: 0, allocation: 10_000 })
    expect(DEFAULT_READ_ALLOCATION).toEqual({ perTransaction: 500, minimum: 10_000 })
  })

  it('answers the 10,001st read in 30 days 429 rate_limit naming the read allocation, when enforced', async () => {
    const { sim, account, clock, call, secret } = await start({ enforceReadAllocation: true })
    const key = secret('test')
    for (let i = 0; i < 10_000; i++) if ((await read(sim, key)).status !== 200) throw new Error(`read ${i}`)
    const refused = await call('/v1/events', { key })
    expect(refused.status).toBe(429)
    expect(refused.headers.get('stripe-rate-limited-reason')).toBeNull()
    expect(await errorOf(refused)).toMatchObject({
      type: 'invalid_request_error',
      code: 'rate_limit',
      message:
        'Read request allocation exceeded: this account made 10000 read (GET) requests in the last 30 days, ' +
        'and its read allocation is 10000 (500 per transaction for 0 transactions, at least 10000). ' +
        'You can learn more about read request allocations here https://docs.stripe.com/rate-limits#api-read-request-allocations.',
    })
    expect(sim.readAllocation(account.id)).toMatchObject({ reads30d: 10_000, remaining: 0, enforced: true })
    // Writes have no allocation; a refused read does not count; the window rolls.
    const write = await call('/v1/webhook_endpoints', {
      key,
      method: 'POST',
      body: 'url=https://a.example&enabled_events[]=*',
    })
    expect(write.status).toBe(200)
    expect(sim.readAllocation(account.id).reads30d).toBe(10_000)
    clock.advance(30 * DAY)
    expect((await call('/v1/events', { key })).status).toBe(200)
  })

  it('lets reads through again once a live sale raises the allocation, and surfaces as StripeRateLimitError', async () => {
    const { sim, account, stripe, secret } = await start({
      enforceReadAllocation: true,
      readAllocation: { perTransaction: 3, minimum: 2 },
    })
    const client = stripe(secret('live'))
    await client.balance.retrieve()
    await client.balance.retrieve()
    const err = await rejection(client.balance.retrieve())
    expect(err).toMatchObject({ type: 'StripeRateLimitError', statusCode: 429, code: 'rate_limit' })
    expect(err.message).toContain('Read request allocation exceeded')
    sim.business(account.id, { livemode: true }).sale({ amount: 1000, currency: 'usd' })
    expect(sim.readAllocation(account.id)).toMatchObject({ transactions30d: 1, allocation: 3, remaining: 1 })
    await client.balance.retrieve()
    await expect(client.balance.retrieve()).rejects.toMatchObject({ statusCode: 429 })
  })

  it('only counts when not enforced (the default), and refuses nonsense rules', async () => {
    const { sim, account, call, secret } = await start({ readAllocation: { minimum: 1 } })
    const key = secret()
    for (let i = 0; i < 3; i++) expect((await call('/v1/events', { key })).status).toBe(200)
    expect(sim.readAllocation(account.id)).toMatchObject({
      reads30d: 3,
      allocation: 1,
      remaining: 0,
      enforced: false,
    })
    expect(() => new StripeSimulator({ readAllocation: { perTransaction: 0 } })).toThrow(
      'Expected `readAllocation.perTransaction` to be an integer >= 1, got 0.',
    )
    expect(() => sim.readAllocation('acct_nope')).toThrow("Unknown account 'acct_nope'")
  })
})
