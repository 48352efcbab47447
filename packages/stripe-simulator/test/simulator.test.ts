import { describe, expect, it } from 'vitest'
import { ManualClock, StripeSimulator } from '../src/index.js'

const request = (key: string, path = '/v1/balance'): Request =>
  new Request(`https://api.stripe.com${path}`, { headers: { Authorization: `Bearer ${key}` } })

describe('StripeSimulator', () => {
  it('shares nothing between two instances, even with the same seed', async () => {
    const a = new StripeSimulator({ seed: 9 })
    const b = new StripeSimulator({ seed: 9 })
    const accountA = a.createAccount()
    expect(b.createAccount().id).toBe(accountA.id) // same seed, same ids...
    const keyA = a.createKey({ account: accountA.id, kind: 'secret', mode: 'test' })
    a.createEvent({ account: accountA.id, livemode: false, type: 'x.y', object: { id: 'x_1', object: 'x' } })
    a.faults.add({ kind: 'server_error', times: Number.POSITIVE_INFINITY })
    const keyB = b.createKey({ account: accountA.id, kind: 'secret', mode: 'test' })
    expect(keyB).toBe(keyA)
    // ...but b has no fault, no events, and counts its own requests.
    const response = await b.handle(request(keyB, '/v1/events'))
    expect(response.status).toBe(200)
    expect(((await response.json()) as { data: unknown[] }).data).toEqual([])
    expect((await a.handle(request(keyA))).status).toBe(500)
    expect(a.requests.total).toBe(1)
    expect(b.requests.total).toBe(1)
  })

  it('uses the injected clock for created defaults', () => {
    const clock = new ManualClock(Date.UTC(2024, 1, 29, 12))
    const sim = new StripeSimulator({ clock })
    const account = sim.createAccount()
    expect(account.created).toBe(Date.UTC(2024, 1, 29, 12) / 1000)
    clock.advance(1500)
    const object = { id: 'a_1', object: 'a' }
    expect(sim.createEvent({ account: account.id, livemode: true, type: 'a.b', object }).created).toBe(
      Date.UTC(2024, 1, 29, 12) / 1000 + 1,
    )
  })

  it('validates createAccount and createEvent input', () => {
    const sim = new StripeSimulator()
    const account = sim.createAccount({ id: 'acct_fixed123' })
    expect(() => sim.createAccount({ id: 'acct_fixed123' })).toThrow('Account acct_fixed123 already exists.')
    expect(() => sim.createAccount({ id: 'cus_1' })).toThrow("Expected an account id like 'acct_1AbC...'")
    const object = { id: 'a_1', object: 'a' }
    expect(() => sim.createEvent({ account: 'acct_nope', livemode: false, type: 'a.b', object })).toThrow(
      "Unknown account 'acct_nope'",
    )
    expect(() =>
      sim.createEvent({ account: account.id, livemode: false, type: 'a.b', object, created: 1.5 }),
    ).toThrow('whole Unix seconds')
    const event = sim.createEvent({
      account: account.id,
      livemode: false,
      type: 'a.b',
      object,
      id: 'evt_mine',
    })
    expect(() =>
      sim.createEvent({ account: account.id, livemode: false, type: 'a.b', object, id: 'evt_mine' }),
    ).toThrow('already exists')
    expect(event.api_version).toBe('2026-10-28.endive')
  })

  it('copies event objects, so later changes to the input do not reach the API', async () => {
    const sim = new StripeSimulator()
    const account = sim.createAccount()
    const key = sim.createKey({ account: account.id, kind: 'secret', mode: 'test' })
    const object = { id: 'ch_1', object: 'charge', amount: 100 }
    const event = sim.createEvent({ account: account.id, livemode: false, type: 'charge.succeeded', object })
    object.amount = 999
    const served = (await (await sim.handle(request(key, `/v1/events/${event.id}`))).json()) as {
      data: { object: { amount: number } }
    }
    expect(served.data.object.amount).toBe(100)
  })

  it('ManualClock moves only when told to, and never backwards through advance()', () => {
    const clock = new ManualClock(1000)
    expect(clock.now()).toBe(1000)
    clock.advance(500)
    expect(clock.now()).toBe(1500)
    clock.set(10)
    expect(clock.now()).toBe(10)
    expect(() => clock.advance(-1)).toThrow('Expected `ms` to be a finite number >= 0, got -1.')
  })
})
