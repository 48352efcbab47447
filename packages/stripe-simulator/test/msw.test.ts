import { setupServer } from 'msw/node'
import Stripe from 'stripe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StripeSimulator } from '../src/index.js'
import { stripeHandlers } from '../src/msw.js'

const sim = new StripeSimulator({ seed: 1 })
const account = sim.createAccount({ businessName: 'In-process', icon: true })
const server = setupServer(...stripeHandlers(sim))

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterAll(() => server.close())

describe('msw handlers', () => {
  it('answer stripe-node at api.stripe.com in-process, errors included', async () => {
    const key = sim.createKey({
      account: account.id,
      kind: 'restricted',
      mode: 'test',
      permissions: ['rak_event_read'],
    })
    sim.createEvent({
      account: account.id,
      livemode: false,
      type: 'charge.succeeded',
      object: { id: 'ch_1', object: 'charge' },
    })
    const stripe = new Stripe(key, { maxNetworkRetries: 0 })
    const events = await stripe.events.list({ limit: 1 })
    expect(events.data.map((e) => e.type)).toEqual(['charge.succeeded'])
    const denied = await stripe.customers.list().catch((e: Stripe.errors.StripeError) => e)
    expect(denied).toBeInstanceOf(Stripe.errors.StripePermissionError)
    expect((denied as Stripe.errors.StripeError).message).toContain("'rak_customer_read'")
    expect(sim.requests.byKey(key)).toBe(2)
  })

  it('serve file links at the intercepted origin, and resets become network errors', async () => {
    const key = sim.createKey({ account: account.id, kind: 'secret', mode: 'test' })
    const response = await fetch('https://api.stripe.com/v1/file_links', {
      method: 'POST',
      headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `file=${account.icon}`,
    })
    const link = (await response.json()) as { url: string }
    expect(link.url).toMatch(/^https:\/\/api\.stripe\.com\/links\//)
    const image = await fetch(link.url)
    expect(image.headers.get('content-type')).toBe('image/png')
    expect((await image.arrayBuffer()).byteLength).toBeGreaterThan(50)
    sim.faults.add({ kind: 'reset' })
    await expect(
      fetch('https://api.stripe.com/v1/balance', { headers: { Authorization: `Bearer ${key}` } }),
    ).rejects.toThrow(TypeError)
  })

  it('take a custom base URL', async () => {
    const local = new StripeSimulator()
    const acct = local.createAccount()
    const key = local.createKey({ account: acct.id, kind: 'secret', mode: 'live' })
    server.use(...stripeHandlers(local, { baseUrl: 'https://stripe.test/' }))
    const response = await fetch('https://stripe.test/v1/balance', {
      headers: { Authorization: `Bearer ${key}` },
    })
    expect(((await response.json()) as { livemode: boolean }).livemode).toBe(true)
  })
})
