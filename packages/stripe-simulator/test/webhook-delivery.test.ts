import Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { nth } from './helpers.js'
import { chargeEvent, START, startReceiver, startWebhookSimulator } from './webhook-receiver.js'

const T0 = START / 1000

describe('webhook delivery', () => {
  it('POSTs each event as JSON with Stripe headers, signed so that stripe-node verifies it', async () => {
    const { sim, account } = await startWebhookSimulator()
    const receiver = await startReceiver()
    const endpoint = sim.addWebhookEndpoint({ account: account.id, url: receiver.url, livemode: true })
    expect(endpoint.secret).toMatch(/^whsec_[A-Za-z0-9]{32}$/)
    const event = sim.createEvent(chargeEvent(account.id, 'ch_1', 'charge.succeeded', true))
    await sim.webhooks.idle()

    const got = nth(receiver.received, 0)
    expect(got.method).toBe('POST')
    expect(got.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(got.headers['user-agent']).toBe('Stripe/1.0 (+https://stripe.com/docs/webhooks)')
    const signature = String(got.headers['stripe-signature'])
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/) // live mode: no fake v0
    expect(signature).toBe(
      Stripe.webhooks.generateTestHeaderString({ payload: got.body, secret: endpoint.secret, timestamp: T0 }),
    )
    // Signed with the simulator clock's time: the receiver checks it against the same clock.
    const verified = Stripe.webhooks.constructEvent(got.body, signature, endpoint.secret, 300, undefined, T0)
    expect(verified.id).toBe(event.id)
    expect(() =>
      Stripe.webhooks.constructEvent(got.body, signature, 'whsec_wrong', 300, undefined, T0),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError)
    expect(() =>
      Stripe.webhooks.constructEvent(`${got.body} `, signature, endpoint.secret, 300, undefined, T0),
    ).toThrow(Stripe.errors.StripeSignatureVerificationError)
  })

  it('adds a fake v0 signature to test-mode deliveries, which stripe-node ignores', async () => {
    const { sim, account } = await startWebhookSimulator()
    const receiver = await startReceiver()
    const endpoint = sim.addWebhookEndpoint({ account: account.id, url: receiver.url })
    sim.createEvent(chargeEvent(account.id, 'ch_1'))
    await sim.webhooks.idle()
    const { body, headers } = nth(receiver.received, 0)
    const signature = String(headers['stripe-signature'])
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64},v0=[0-9a-f]{64}$/)
    expect(Stripe.webhooks.constructEvent(body, signature, endpoint.secret, 300, undefined, T0).type).toBe(
      'charge.succeeded',
    )
  })

  it('sends the event as GET /v1/events/:id serves it, with pending_webhooks as of the attempt', async () => {
    const { sim, account, call, secret } = await startWebhookSimulator()
    const receiver = await startReceiver()
    sim.addWebhookEndpoint({ account: account.id, url: receiver.url })
    sim.business(account.id, { shuffle: false }).customer({ email: 'jane@example.com' })
    await sim.webhooks.idle()
    const got = nth(receiver.received, 0)
    const served = (await (await call(`/v1/events/${got.event.id}`, { key: secret() })).json()) as object
    expect(JSON.parse(got.body)).toEqual({ ...served, pending_webhooks: 1 })
    expect(served).toMatchObject({ type: 'customer.created', pending_webhooks: 0 })
  })

  it('sends only enabled types, only to endpoints of the event account and mode, never events from before', async () => {
    const { sim, account } = await startWebhookSimulator()
    const other = sim.createAccount()
    const [charges, everything, live, elsewhere] = await Promise.all([1, 2, 3, 4].map(() => startReceiver()))
    sim.createEvent(chargeEvent(account.id, 'ch_0')) // before any endpoint: never sent
    sim.addWebhookEndpoint({ account: account.id, url: charges!.url, enabledEvents: ['charge.refunded'] })
    sim.addWebhookEndpoint({ account: account.id, url: everything!.url, enabledEvents: ['*'] })
    sim.addWebhookEndpoint({ account: account.id, url: live!.url, livemode: true })
    sim.addWebhookEndpoint({ account: other.id, url: elsewhere!.url })
    const succeeded = sim.createEvent(chargeEvent(account.id, 'ch_1'))
    const refunded = sim.createEvent(chargeEvent(account.id, 'ch_1', 'charge.refunded'))
    expect([succeeded.pending_webhooks, refunded.pending_webhooks]).toEqual([1, 2])
    await sim.webhooks.idle()
    expect(charges!.types()).toEqual(['charge.refunded'])
    expect(everything!.types()).toEqual(['charge.succeeded', 'charge.refunded'])
    expect(live!.received).toEqual([])
    expect(elsewhere!.received).toEqual([])
  })

  it('does not send events created while an endpoint is disabled, nor count it in pending_webhooks', async () => {
    const { sim, account, call, secret } = await startWebhookSimulator()
    const receiver = await startReceiver()
    const endpoint = sim.addWebhookEndpoint({ account: account.id, url: receiver.url })
    const key = secret()
    const disable = (disabled: boolean) =>
      call(`/v1/webhook_endpoints/${endpoint.id}`, { key, method: 'POST', body: `disabled=${disabled}` })
    expect((await disable(true)).status).toBe(200)
    expect(sim.createEvent(chargeEvent(account.id, 'ch_1')).pending_webhooks).toBe(0)
    await disable(false)
    const later = sim.createEvent(chargeEvent(account.id, 'ch_2'))
    expect(later.pending_webhooks).toBe(1)
    await sim.webhooks.idle()
    expect(receiver.received.map((r) => r.event.id)).toEqual([later.id])
    expect(sim.webhooks.stats(endpoint.id)).toEqual({ attempted: 1, succeeded: 1, failed: 0, scheduled: 0 })
  })

  it('delivers in the order of the event list, each event once, when no faults are asked for', async () => {
    const { sim, account, clock } = await startWebhookSimulator({ seed: 3 })
    const receiver = await startReceiver()
    sim.addWebhookEndpoint({ account: account.id, url: receiver.url })
    const shop = sim.business(account.id) // shuffled within each second, as Stripe's order is arbitrary
    const jane = shop.customer({ email: 'jane@example.com' })
    for (let i = 0; i < 3; i++) shop.sale({ customer: jane, amount: 1000, currency: 'usd' })
    const created = sim.store(account.id, false).list('event').reverse() // by created, then creation
    clock.advance(2000) // a payment's later events happen a second or two after it starts
    await sim.webhooks.idle()
    expect(receiver.received.map((r) => r.event.id)).toEqual(created.map((event) => event.id))
    expect(new Set(receiver.received.map((r) => r.event.id)).size).toBe(receiver.received.length)
  })

  it('waits for an event created in the future: a sale’s next events go out when the clock gets there', async () => {
    const { sim, account, clock } = await startWebhookSimulator()
    const receiver = await startReceiver()
    sim.addWebhookEndpoint({ account: account.id, url: receiver.url })
    sim.business(account.id, { shuffle: false }).sale({ amount: 1500, currency: 'usd' })
    await sim.webhooks.idle()
    expect(receiver.types()).toEqual(['payment_intent.created'])
    clock.advance(1000)
    await sim.webhooks.idle()
    expect(receiver.types()).toEqual([
      'payment_intent.created',
      'charge.succeeded',
      'payment_intent.succeeded',
    ])
  })

  it('sends nothing when delivery is turned off, and still counts the endpoints in pending_webhooks', async () => {
    const { sim, account, stripe, secret } = await startWebhookSimulator({ webhooks: { deliver: false } })
    const receiver = await startReceiver()
    sim.addWebhookEndpoint({ account: account.id, url: receiver.url })
    const event = sim.createEvent(chargeEvent(account.id, 'ch_1'))
    await sim.webhooks.idle()
    expect(receiver.received).toEqual([])
    expect(event.pending_webhooks).toBe(1)
    const undelivered = await stripe(secret()).events.list({ delivery_success: false })
    expect(undelivered.data.map((e) => e.id)).toEqual([event.id])
    expect(sim.webhooks.stats()).toEqual({ attempted: 0, succeeded: 0, failed: 0, scheduled: 0 })
  })

  it('neither counts nor delivers to an endpoint object put in the store (it has no secret)', async () => {
    const { sim, account } = await startWebhookSimulator()
    const receiver = await startReceiver()
    const { secret: _, ...endpoint } = sim.addWebhookEndpoint({ account: account.id, url: receiver.url })
    sim.store(account.id, false).add({ ...endpoint, id: 'we_fromthestore' })
    expect(sim.createEvent(chargeEvent(account.id, 'ch_1')).pending_webhooks).toBe(1)
    await sim.webhooks.idle()
    expect(sim.webhooks.log.map((entry) => entry.endpoint)).toEqual([endpoint.id])
  })

  it('sends through the fetch it is given (an in-process receiver, msw…)', async () => {
    const requests: Request[] = []
    const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
      requests.push(new Request(input, init))
      return new Response(null, { status: 204 })
    }
    const { sim, account } = await startWebhookSimulator({ webhooks: { fetch } })
    const endpoint = sim.addWebhookEndpoint({ account: account.id, url: 'https://example.com/hooks' })
    sim.createEvent(chargeEvent(account.id, 'ch_1'))
    await sim.webhooks.idle()
    const request = nth(requests, 0)
    expect([request.method, request.url, request.redirect]).toEqual([
      'POST',
      'https://example.com/hooks',
      'manual',
    ])
    const body = await request.text()
    const signature = request.headers.get('stripe-signature') ?? ''
    expect(Stripe.webhooks.constructEvent(body, signature, endpoint.secret, 300, undefined, T0).type).toBe(
      'charge.succeeded',
    )
    expect(sim.webhooks.stats(endpoint.id)).toMatchObject({ attempted: 1, succeeded: 1 })
  })

  it('refuses, as a TypeError, the endpoints POST /v1/webhook_endpoints refuses', async () => {
    const { sim, account } = await startWebhookSimulator()
    expect(() => sim.addWebhookEndpoint({ account: account.id, url: 'ftp://example.com' })).toThrow(
      new TypeError('[stripe-simulator] Invalid URL: ftp://example.com'),
    )
    expect(() =>
      sim.addWebhookEndpoint({ account: account.id, url: 'https://example.com', enabledEvents: ['Charge!'] }),
    ).toThrow('Invalid enabled_events[0]: "Charge!" is not an event type.')
    expect(() =>
      sim.addWebhookEndpoint({ account: account.id, url: 'https://example.com', apiVersion: 'latest' }),
    ).toThrow('Invalid api_version: latest')
    expect(() =>
      sim.addWebhookEndpoint({
        account: account.id,
        url: 'https://example.com',
        deliveryFaults: { duplicate: 2 },
      }),
    ).toThrow('Expected `duplicate` to be between 0 and 1, got 2.')
  })
})
