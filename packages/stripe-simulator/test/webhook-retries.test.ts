import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { DEFAULT_WEBHOOK_RETRIES, StripeSimulator } from '../src/index.js'
import { nth } from './helpers.js'
import { chargeEvent, HOUR, MINUTE, START, startReceiver, startWebhookSimulator } from './webhook-receiver.js'

describe('webhook retries', () => {
  it('retries a failing endpoint with backoff on the simulator clock, then succeeds (test mode: 30 min, 1 h, 2 h)', async () => {
    const { sim, account, clock } = await startWebhookSimulator()
    const receiver = await startReceiver((_, index) => (index < 3 ? 500 : 200))
    const endpoint = sim.addWebhookEndpoint({ account: account.id, url: receiver.url })
    const event = sim.createEvent(chargeEvent(account.id, 'ch_1'))
    await sim.webhooks.idle()
    const retryAt = [START + 30 * MINUTE, START + 90 * MINUTE, START + 210 * MINUTE]
    for (const [i, at] of retryAt.entries()) {
      expect(receiver.received).toHaveLength(i + 1)
      expect(sim.webhooks.upcoming()).toEqual([
        {
          at,
          endpoint: endpoint.id,
          event: event.id,
          type: 'charge.succeeded',
          attempt: i + 2,
          duplicate: false,
        },
      ])
      clock.set(at - 1)
      await sim.webhooks.idle()
      expect(receiver.received).toHaveLength(i + 1) // not a millisecond early
      clock.set(at)
      await sim.webhooks.idle()
    }
    expect(receiver.received).toHaveLength(4)
    expect(sim.webhooks.stats(endpoint.id)).toEqual({ attempted: 4, succeeded: 1, failed: 3, scheduled: 0 })
    expect(sim.webhooks.log.map((entry) => [entry.at, entry.attempt, entry.status])).toEqual([
      [START, 1, 500],
      [retryAt[0], 2, 500],
      [retryAt[1], 3, 500],
      [retryAt[2], 4, 200],
    ])
    // Each attempt is signed anew, at its own time.
    expect(nth(receiver.received, 3).headers['stripe-signature']).toMatch(
      new RegExp(`^t=${(START + 210 * MINUTE) / 1000},`),
    )
  })

  it('keeps trying in live mode for about 3 days (doubling from 1 minute), then leaves the event pending', async () => {
    const { sim, account, clock, stripe, secret } = await startWebhookSimulator()
    const receiver = await startReceiver(() => 503)
    sim.addWebhookEndpoint({ account: account.id, url: receiver.url, livemode: true })
    const event = sim.createEvent(chargeEvent(account.id, 'ch_1', 'charge.succeeded', true))
    await sim.webhooks.idle()
    for (let at = sim.webhooks.upcoming()[0]?.at; at !== undefined; at = sim.webhooks.upcoming()[0]?.at) {
      clock.set(at)
      await sim.webhooks.idle()
    }
    const times = sim.webhooks.log.map((entry) => (entry.at - START) / MINUTE)
    expect(times).toEqual([0, 1, 3, 7, 15, 31, 63, 127, 255, 511, 1023, 2047, 4095])
    expect(DEFAULT_WEBHOOK_RETRIES.live).toHaveLength(12)
    expect(nth(times, 12) / 60).toBeLessThan(72) // "for up to 3 days"
    clock.advance(7 * 24 * HOUR)
    await sim.webhooks.idle()
    expect(receiver.received).toHaveLength(13)
    const live = stripe(secret('live'))
    expect((await live.events.retrieve(event.id)).pending_webhooks).toBe(1)
    expect((await live.events.list({ delivery_success: false })).data.map((e) => e.id)).toEqual([event.id])
    expect((await live.events.list({ delivery_success: true })).data).toEqual([])
  })

  it('keeps pending_webhooks true, so that GET /v1/events?delivery_success follows each delivery', async () => {
    const { sim, account, clock, stripe, secret } = await startWebhookSimulator()
    const healthy = await startReceiver()
    const flaky = await startReceiver((_, index) => (index === 0 ? 500 : 204))
    sim.addWebhookEndpoint({ account: account.id, url: healthy.url })
    sim.addWebhookEndpoint({ account: account.id, url: flaky.url })
    const client = stripe(secret())
    const ids = async (delivery_success: boolean) =>
      (await client.events.list({ delivery_success })).data.map((e) => e.id)
    const event = sim.createEvent(chargeEvent(account.id, 'ch_1'))
    expect(event.pending_webhooks).toBe(2)
    expect(await ids(false)).toEqual([event.id]) // pending counts as not (yet) delivered
    await sim.webhooks.idle()
    expect((await client.events.retrieve(event.id)).pending_webhooks).toBe(1)
    expect(await ids(false)).toEqual([event.id])
    clock.advance(30 * MINUTE)
    await sim.webhooks.idle()
    expect((await client.events.retrieve(event.id)).pending_webhooks).toBe(0)
    expect(await ids(false)).toEqual([])
    expect(await ids(true)).toEqual([event.id])
  })

  it('fails an attempt that times out, cannot connect or is redirected, and retries it', async () => {
    const hung = await startReceiver(() => 'hang')
    const redirect = await startReceiver(() => 302)
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const { sim, account } = await startWebhookSimulator({ webhooks: { timeoutMs: 50 } })
    const urls = [hung.url, redirect.url, `http://127.0.0.1:${port}/gone`]
    const endpoints = urls.map((url) => sim.addWebhookEndpoint({ account: account.id, url }).id)
    sim.createEvent(chargeEvent(account.id, 'ch_1'))
    await sim.webhooks.idle()
    const outcome = (id: string) => sim.webhooks.log.find((entry) => entry.endpoint === id)
    expect(outcome(nth(endpoints, 0))).toMatchObject({ ok: false, status: 0, error: 'timeout' })
    expect(outcome(nth(endpoints, 1))).toMatchObject({ ok: false, status: 302 })
    expect(outcome(nth(endpoints, 2))).toMatchObject({ ok: false, status: 0, error: 'network' })
    expect(sim.webhooks.upcoming().map((u) => u.attempt)).toEqual([2, 2, 2])
  })

  it('stops retrying once the endpoint is deleted or disabled, and resumes if re-enabled before the retry', async () => {
    const { sim, account, clock, call, secret } = await startWebhookSimulator()
    const receivers = [await startReceiver(() => 500), await startReceiver(() => 500)]
    const [deleted, paused] = receivers.map(
      (r) => sim.addWebhookEndpoint({ account: account.id, url: r.url }).id,
    )
    sim.createEvent(chargeEvent(account.id, 'ch_1'))
    await sim.webhooks.idle()
    const key = secret()
    await call(`/v1/webhook_endpoints/${deleted}`, { key, method: 'DELETE' })
    const pause = (disabled: boolean) =>
      call(`/v1/webhook_endpoints/${paused}`, { key, method: 'POST', body: `disabled=${disabled}` })
    await pause(true)
    await pause(false) // re-enabled before the retry is due: Stripe still retries
    clock.advance(30 * MINUTE)
    await sim.webhooks.idle()
    expect(receivers.map((r) => r.received.length)).toEqual([1, 2])
    await pause(true) // disabled when the next retry is due: no more retries of that event
    clock.advance(60 * MINUTE)
    await sim.webhooks.idle()
    await pause(false)
    clock.advance(10 * HOUR)
    await sim.webhooks.idle()
    expect(receivers.map((r) => r.received.length)).toEqual([1, 2])
    expect(sim.webhooks.stats()).toEqual({ attempted: 3, succeeded: 0, failed: 3, scheduled: 0 })
  })

  it('sends a retry when its time comes on a moving clock, without any request or idle()', async () => {
    let offset = 0
    const clock = { now: () => Date.now() + offset }
    const sim = new StripeSimulator({ seed: 1, clock })
    const account = sim.createAccount()
    const receiver = await startReceiver((_, index) => (index === 0 ? 500 : 200))
    sim.addWebhookEndpoint({ account: account.id, url: receiver.url })
    sim.createEvent({ ...chargeEvent(account.id, 'ch_1'), created: Math.floor(clock.now() / 1000) })
    await receiver.next(1) // the first attempt goes out by itself
    offset += 30 * MINUTE - 20 // the retry is now 20 ms away: its timer sends it
    await receiver.next(2)
    expect(receiver.received.map((r) => r.event.type)).toEqual(['charge.succeeded', 'charge.succeeded'])
  })
})
