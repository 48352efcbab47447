import { describe, expect, it } from 'vitest'
import { type DeliveryFaults, ManualClock, StripeSimulator } from '../src/index.js'
import { chargeEvent, START, startReceiver } from './webhook-receiver.js'

const EVENTS = 20

/** 20 events to one endpoint with these faults; what arrived, as indexes of the events in creation order. */
async function deliveries(seed: number, faults: { endpoint?: DeliveryFaults; simulator?: DeliveryFaults }) {
  const clock = new ManualClock(START)
  const sim = new StripeSimulator({
    seed,
    clock,
    ...(faults.simulator ? { webhooks: { faults: faults.simulator } } : {}),
  })
  const account = sim.createAccount()
  const receiver = await startReceiver()
  sim.addWebhookEndpoint({
    account: account.id,
    url: receiver.url,
    ...(faults.endpoint ? { deliveryFaults: faults.endpoint } : {}),
  })
  const ids = Array.from({ length: EVENTS }, (_, i) => sim.createEvent(chargeEvent(account.id, `ch_${i}`)).id)
  await sim.webhooks.idle()
  const arrived = () => receiver.received.map((r) => ids.indexOf(r.event.id))
  return { sim, account, clock, arrived, receiver }
}

const inOrder = Array.from({ length: EVENTS }, (_, i) => i)

describe('webhook delivery faults', () => {
  it('shuffles what is due together only when reorder is asked, the same way for the same seed', async () => {
    expect((await deliveries(5, {})).arrived()).toEqual(inOrder)
    const shuffled = (await deliveries(5, { endpoint: { reorder: true } })).arrived()
    expect(shuffled).not.toEqual(inOrder)
    expect([...shuffled].sort((a, b) => a - b)).toEqual(inOrder) // each event once
    expect((await deliveries(5, { endpoint: { reorder: true } })).arrived()).toEqual(shuffled)
    expect((await deliveries(6, { endpoint: { reorder: true } })).arrived()).not.toEqual(shuffled)
  })

  it('sends duplicates only when asked, right after the original, without touching pending_webhooks', async () => {
    const { sim, account, arrived } = await deliveries(5, { simulator: { duplicate: 0.5 } })
    const got = arrived()
    const twice = inOrder.filter((i) => got.filter((j) => j === i).length === 2)
    expect(twice.length).toBeGreaterThan(3)
    expect(twice.length).toBeLessThan(EVENTS - 3)
    expect(got.length).toBe(EVENTS + twice.length)
    expect([...new Set(got)]).toEqual(inOrder) // still in order: a duplicate follows its original
    const logged = sim.webhooks.log.filter((entry) => entry.duplicate)
    expect(logged).toHaveLength(twice.length)
    expect(sim.webhooks.stats()).toMatchObject({ attempted: got.length, succeeded: got.length, failed: 0 })
    const events = sim.store(account.id, false).list('event')
    expect(events.every((event) => event.pending_webhooks === 0)).toBe(true)
    expect((await deliveries(5, { simulator: { duplicate: 0.5 } })).arrived()).toEqual(got)
  })

  it('makes first attempts late by delayMs of the simulator clock, so events overtake one another', async () => {
    const { clock, sim, arrived } = await deliveries(9, {
      endpoint: { delayMs: { min: 1_000, max: 60_000 } },
    })
    expect(arrived()).toEqual([])
    clock.advance(30_000)
    await sim.webhooks.idle()
    const early = arrived()
    expect(early.length).toBeGreaterThan(0)
    expect(early.length).toBeLessThan(EVENTS)
    clock.advance(30_000)
    await sim.webhooks.idle()
    const all = arrived()
    expect(all).not.toEqual(inOrder)
    expect([...all].sort((a, b) => a - b)).toEqual(inOrder)
    expect(sim.webhooks.log.every((entry) => entry.at >= START + 1_000 && entry.at <= START + 60_000)).toBe(
      true,
    )
  })

  it('keeps the order with a fixed delayMs', async () => {
    const { clock, sim, arrived } = await deliveries(9, { endpoint: { delayMs: 5_000 } })
    clock.advance(4_999)
    await sim.webhooks.idle()
    expect(arrived()).toEqual([])
    clock.advance(1)
    await sim.webhooks.idle()
    expect(arrived()).toEqual(inOrder)
  })

  it("lets an endpoint's own faults override the simulator's, and setFaults change them for later events", async () => {
    const { sim, account, receiver } = await deliveries(5, {
      simulator: { duplicate: 1 },
      endpoint: { duplicate: 0 },
    })
    expect(receiver.received).toHaveLength(EVENTS)
    const endpoint = sim.store(account.id, false).list('webhook_endpoint')[0]?.id ?? ''
    sim.webhooks.setFaults(endpoint, undefined) // back to the simulator's: every delivery twice
    sim.createEvent(chargeEvent(account.id, 'ch_x'))
    await sim.webhooks.idle()
    expect(receiver.received).toHaveLength(EVENTS + 2)
    expect(() => sim.webhooks.setFaults(endpoint, { delayMs: { min: 5, max: 1 } })).toThrow(
      'Expected `delayMs` as { min, max } with 0 <= min <= max, got { min: 5, max: 1 }.',
    )
    expect(() => sim.webhooks.setFaults('we_nope', {})).toThrow("Unknown webhook endpoint 'we_nope'.")
  })
})
