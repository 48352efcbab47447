import { describe, expect, it } from 'vitest'
import { objectKindsOf } from '../src/event-kinds.js'
import { EVENT_RETENTION_SECONDS, ManualClock } from '../src/index.js'
import { errorOf, nth, rejection, startSimulator } from './helpers.js'

const T0 = Date.UTC(2025, 5, 1) // ms
const S0 = T0 / 1000

/** A simulator whose clock stands at T0, with `count` events one second apart (the last at T0). */
async function withEvents(
  count: number,
  type = (i: number): string => (i % 2 === 0 ? 'charge.succeeded' : 'invoice.paid'),
) {
  const clock = new ManualClock(T0)
  const context = await startSimulator({ clock })
  const ids: string[] = []
  for (let i = 0; i < count; i++) {
    const event = context.sim.createEvent({
      account: context.account.id,
      livemode: false,
      type: type(i),
      object: { id: `obj_${i}`, object: objectKindsOf(type(i))[0] },
      created: S0 - (count - 1 - i),
    })
    ids.push(event.id)
  }
  return { ...context, clock, ids, client: context.stripe(context.secret()) }
}

describe('GET /v1/events', () => {
  it('returns the list envelope, newest first, 10 by default', async () => {
    const { client, ids } = await withEvents(12)
    const page = await client.events.list()
    expect(page.object).toBe('list')
    expect(page.url).toBe('/v1/events')
    expect(page.has_more).toBe(true)
    expect(page.data.map((e) => e.id)).toEqual(ids.slice(2).reverse())
  })

  it('pages to older events with starting_after and to newer ones with ending_before', async () => {
    const { client, ids } = await withEvents(7)
    const newest = [...ids].reverse()
    const first = await client.events.list({ limit: 3 })
    expect(first.data.map((e) => e.id)).toEqual(newest.slice(0, 3))
    const second = await client.events.list({ limit: 3, starting_after: nth(newest, 2) })
    expect(second.data.map((e) => e.id)).toEqual(newest.slice(3, 6))
    expect(second.has_more).toBe(true)
    const last = await client.events.list({ limit: 3, starting_after: nth(newest, 5) })
    expect(last.data.map((e) => e.id)).toEqual(newest.slice(6))
    expect(last.has_more).toBe(false)
    // ending_before returns the `limit` events just newer than the cursor, still newest first.
    const back = await client.events.list({ limit: 2, ending_before: nth(newest, 5) })
    expect(back.data.map((e) => e.id)).toEqual(newest.slice(3, 5))
    expect(back.has_more).toBe(true)
    const top = await client.events.list({ limit: 5, ending_before: nth(newest, 2) })
    expect(top.data.map((e) => e.id)).toEqual(newest.slice(0, 2))
    expect(top.has_more).toBe(false)
  })

  it('auto-paginates through stripe-node in both directions', async () => {
    const { client, ids } = await withEvents(25)
    const all: string[] = []
    for await (const event of client.events.list({ limit: 4 })) all.push(event.id)
    expect(all).toEqual([...ids].reverse())
    const newer: string[] = []
    for await (const event of client.events.list({ limit: 4, ending_before: nth(ids, 10) }))
      newer.push(event.id)
    expect(newer.sort()).toEqual(ids.slice(11).sort())
  })

  it('filters by created (exact and gt/gte/lt/lte)', async () => {
    const { client, ids } = await withEvents(6)
    const exact = await client.events.list({ created: S0 - 2 })
    expect(exact.data.map((e) => e.id)).toEqual([ids[3]])
    const range = await client.events.list({ created: { gt: S0 - 4, lte: S0 - 1 } })
    expect(range.data.map((e) => e.id)).toEqual([ids[4], ids[3], ids[2]])
    const open = await client.events.list({ created: { gte: S0 - 1 } })
    expect(open.data.map((e) => e.id)).toEqual([ids[5], ids[4]])
    const below = await client.events.list({ created: { lt: S0 - 3 } })
    expect(below.data.map((e) => e.id)).toEqual([ids[1], ids[0]])
  })

  it('filters by type, a trailing .* wildcard, and types[]', async () => {
    const types = [
      'charge.succeeded',
      'charge.refunded',
      'invoice.paid',
      'charge.dispute.created',
      'payout.paid',
    ]
    const { client, ids } = await withEvents(5, (i) => types[i] ?? '')
    expect((await client.events.list({ type: 'invoice.paid' })).data.map((e) => e.id)).toEqual([ids[2]])
    expect((await client.events.list({ type: 'charge.*' })).data.map((e) => e.id)).toEqual([
      ids[3],
      ids[1],
      ids[0],
    ])
    expect((await client.events.list({ type: 'charge.dispute.*' })).data.map((e) => e.id)).toEqual([ids[3]])
    expect(
      (await client.events.list({ types: ['payout.paid', 'charge.refunded'] })).data.map((e) => e.id),
    ).toEqual([ids[4], ids[1]])
  })

  it('refuses more than 20 types and type with types', async () => {
    const { client } = await withEvents(1)
    const tooMany = await rejection(
      client.events.list({ types: Array.from({ length: 21 }, (_, i) => `t.${i}`) }),
    )
    expect(tooMany.statusCode).toBe(400)
    expect(tooMany.param).toBe('types')
    const both = await rejection(client.events.list({ type: 'a.b', types: ['c.d'] }))
    expect(both.message).toBe('You may only specify one of these parameters: type, types.')
  })

  it('accepts delivery_success: without webhook endpoints every event counts as delivered', async () => {
    const { client, ids, call, secret } = await withEvents(3)
    const delivered = await client.events.list({ delivery_success: true })
    expect(delivered.data.map((e) => e.id)).toEqual([...ids].reverse())
    expect((await client.events.list({ delivery_success: false })).data).toEqual([])
    const invalid = await call('/v1/events?delivery_success=maybe', { key: secret() })
    expect(invalid.status).toBe(400)
    expect(await errorOf(invalid)).toMatchObject({ param: 'delivery_success', code: 'parameter_invalid' })
  })

  it('checks limit: an integer from 1 to 100', async () => {
    const { call, secret } = await withEvents(1)
    const key = secret()
    const cases: [string, string, string][] = [
      ['0', 'parameter_invalid_integer', 'This value must be greater than or equal to 1.'],
      ['101', 'parameter_invalid_integer', 'This value must be less than or equal to 100.'],
      ['ten', 'parameter_invalid_integer', 'Invalid integer: ten'],
      ['1.5', 'parameter_invalid_integer', 'Invalid integer: 1.5'],
    ]
    for (const [limit, code, message] of cases) {
      const response = await call(`/v1/events?limit=${limit}`, { key })
      expect(response.status).toBe(400)
      expect(await errorOf(response)).toMatchObject({
        type: 'invalid_request_error',
        code,
        param: 'limit',
        message,
      })
    }
    expect((await call('/v1/events?limit=100', { key })).status).toBe(200)
    expect((await call('/v1/events?limit=1', { key })).status).toBe(200)
  })

  it('refuses unknown parameters, nested ones included', async () => {
    const { call, secret, client } = await withEvents(1)
    const key = secret()
    const top = await call('/v1/events?foo=1', { key })
    expect(top.status).toBe(400)
    expect(await errorOf(top)).toMatchObject({
      code: 'parameter_unknown',
      param: 'foo',
      message: 'Received unknown parameter: foo',
    })
    const nested = await call('/v1/events?created[after]=1', { key })
    expect(await errorOf(nested)).toMatchObject({ code: 'parameter_unknown', param: 'created[after]' })
    const viaSdk = await rejection(client.events.list({ limit: 1, colour: 'red' } as never))
    expect(viaSdk.code).toBe('parameter_unknown')
  })

  it('answers a missing cursor 404 resource_missing naming the cursor parameter', async () => {
    const { client } = await withEvents(2)
    const after = await rejection(client.events.list({ starting_after: 'evt_doesNotExist' }))
    expect(after.statusCode).toBe(404)
    expect(after.type).toBe('StripeInvalidRequestError')
    expect(after.code).toBe('resource_missing')
    expect(after.param).toBe('starting_after')
    expect(after.message).toBe("No such event: 'evt_doesNotExist'")
    const before = await rejection(client.events.list({ ending_before: 'evt_doesNotExist' }))
    expect(before.param).toBe('ending_before')
    const both = await rejection(client.events.list({ starting_after: 'evt_a', ending_before: 'evt_b' }))
    expect(both.message).toBe('You may only specify one of these parameters: ending_before, starting_after.')
  })

  it('hides events older than 30 days from list, retrieve and cursors', async () => {
    const { client, clock, ids } = await withEvents(3)
    expect((await client.events.retrieve(ids[0] ?? '')).id).toBe(ids[0])
    // Move "now" so that exactly the oldest event (created S0 - 2) falls out of the 30 days.
    clock.set((S0 - 2 + EVENT_RETENTION_SECONDS + 1) * 1000)
    expect((await client.events.list()).data.map((e) => e.id)).toEqual([ids[2], ids[1]])
    const gone = await rejection(client.events.retrieve(ids[0] ?? ''))
    expect(gone.statusCode).toBe(404)
    expect(gone.message).toBe(`No such event: '${ids[0]}'`)
    const cursor = await rejection(client.events.list({ ending_before: nth(ids, 0) }))
    expect(cursor.code).toBe('resource_missing')
    expect(cursor.param).toBe('ending_before')
    expect((await client.events.list({ starting_after: nth(ids, 2) })).data.map((e) => e.id)).toEqual([
      ids[1],
    ])
  })

  it('keeps events of one second in a stable order and pages through them without loss or repeat', async () => {
    const clock = new ManualClock(T0)
    const { sim, account, stripe, secret } = await startSimulator({ clock })
    const made = Array.from(
      { length: 30 },
      (_, i) =>
        sim.createEvent({
          account: account.id,
          livemode: false,
          type: 'charge.succeeded',
          object: { id: `ch_${i}`, object: 'charge' },
        }).id,
    )
    const client = stripe(secret())
    const pages: string[][] = []
    let cursor: string | undefined
    do {
      const page = await client.events.list({ limit: 7, ...(cursor ? { starting_after: cursor } : {}) })
      pages.push(page.data.map((e) => e.id))
      cursor = page.has_more ? page.data.at(-1)?.id : undefined
    } while (cursor)
    const seen = pages.flat()
    expect(new Set(seen).size).toBe(30)
    expect([...seen].sort()).toEqual([...made].sort())
    // Same request, same order: stable.
    expect((await client.events.list({ limit: 30 })).data.map((e) => e.id)).toEqual(seen)
    // Ids are random: ordering must not follow them.
    expect(seen).not.toEqual([...seen].sort().reverse())
  })

  it('places an event created in the past at its time position', async () => {
    const { sim, account, client, ids } = await withEvents(4)
    const behind = sim.createEvent({
      account: account.id,
      livemode: false,
      type: 'charge.refunded',
      object: { id: 'ch_refunded', object: 'charge' },
      created: S0 - 2,
    })
    const list = (await client.events.list()).data
    expect(list.map((e) => e.id)).toEqual([ids[3], ids[2], behind.id, ids[1], ids[0]])
    // A poller holding ids[3] as "newest seen" does not see it through ending_before...
    expect((await client.events.list({ ending_before: nth(ids, 3) })).data).toEqual([])
    // ...but re-reading an overlap window with created[gte] does.
    const overlap = await client.events.list({ created: { gte: S0 - 2 } })
    expect(overlap.data.map((e) => e.id)).toContain(behind.id)
  })

  it('serves Stripe.Event-shaped objects', async () => {
    const { sim, account, client } = await withEvents(0)
    const created = sim.createEvent({
      account: account.id,
      livemode: false,
      type: 'customer.updated',
      object: { id: 'cus_1', object: 'customer', email: 'new@example.com' },
      previousAttributes: { email: 'old@example.com' },
      apiVersion: '2024-06-20',
    })
    const event = await client.events.retrieve(created.id)
    expect(event).toMatchObject({
      id: created.id,
      object: 'event',
      api_version: '2024-06-20',
      created: S0,
      data: {
        object: { id: 'cus_1', email: 'new@example.com' },
        previous_attributes: { email: 'old@example.com' },
      },
      livemode: false,
      pending_webhooks: 0,
      request: { id: null, idempotency_key: null },
      type: 'customer.updated',
    })
    expect(event.id).toMatch(/^evt_[A-Za-z0-9]{24}$/)
    expect(event).not.toHaveProperty('account')
  })

  it('keeps events apart per account and mode', async () => {
    const { sim, account, client } = await withEvents(2)
    const other = sim.createAccount()
    sim.createEvent({ account: other.id, livemode: false, type: 'x.y', object: { id: 'x_1', object: 'x' } })
    sim.createEvent({ account: account.id, livemode: true, type: 'x.y', object: { id: 'x_2', object: 'x' } })
    expect((await client.events.list()).data.every((e) => String(e.type) !== 'x.y')).toBe(true)
  })
})
