import { Keyv } from 'keyv'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { toNotification } from '../src/delivery/notification.js'
import { SETTLE_MS } from '../src/delivery/outbox.js'
import { formatNotification } from '../src/delivery/text/format.js'
import { NotifierError } from '../src/shared/errors.js'
import { sampleEvent } from '../src/testing/fixtures.js'
import {
  fakeNotifier,
  hang,
  hangDeaf,
  makeDelivery,
  ofType,
  sale,
  settle,
  stopWithin,
} from './delivery-helpers.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

describe('Delivery: accepting and sending', () => {
  it('sends an accepted event to every notifier, as a notification with the default text', async () => {
    const { delivery, events } = makeDelivery()
    const a = fakeNotifier('a')
    const b = fakeNotifier('b')
    delivery.use(a)
    delivery.use(b)
    await delivery.start()
    const event = sampleEvent('sale')
    await delivery.accept(event)
    await settle()
    const expected = toNotification(event, formatNotification(event, { timeZone: 'UTC' }))
    expect(a.calls.map((call) => call.notification)).toEqual([expected])
    expect(b.calls.map((call) => call.notification)).toEqual([expected])
    expect(a.calls[0]?.attempt).toBe(1)
    expect(ofType(events, 'delivered').map((e) => [e.notifier, e.notification.id, e.attempt])).toEqual([
      ['a', event.id, 1],
      ['b', event.id, 1],
    ])
    await delivery.stop()
  })

  it('resolves accept() without waiting for any send', async () => {
    const { delivery } = makeDelivery()
    const slow = fakeNotifier('slow', hangDeaf)
    delivery.use(slow, { concurrency: 1 })
    await delivery.start()
    await delivery.accept(sale(1))
    await delivery.accept(sale(2))
    await settle()
    expect(slow.calls.map((call) => call.id)).toEqual(['sale:pi_1'])
    await stopWithin(delivery)
  })

  it('has persisted what it accepted once accept() resolves', async () => {
    const store = new Keyv()
    const first = makeDelivery({ store })
    first.delivery.use(fakeNotifier('a'))
    await first.delivery.accept(sale(1)) // never started: nothing is sent by this instance
    const second = makeDelivery({ store })
    const a = fakeNotifier('a')
    second.delivery.use(a)
    await second.delivery.start()
    await settle()
    expect(a.delivered).toEqual(['sale:pi_1'])
    await second.delivery.stop()
  })

  it('formats with the privacy option and the format hook', async () => {
    const { delivery } = makeDelivery({
      privacy: true,
      format: (event, defaults) => ({ title: `${defaults.title}!`, body: `${event.type}: ${defaults.body}` }),
    })
    const a = fakeNotifier('a')
    delivery.use(a)
    await delivery.start()
    await delivery.accept(sampleEvent('sale'))
    await settle()
    expect(a.calls[0]?.notification.title).toBe('[test] $49.00 sale · Acme Inc!')
    expect(a.calls[0]?.notification.body).toBe('sale: Pro plan · fee $1.72')
    await delivery.stop()
  })

  it('falls back to the default text when the format hook throws, and reports it', async () => {
    const { delivery, events } = makeDelivery({
      format: () => {
        throw new Error('hook bug')
      },
    })
    const a = fakeNotifier('a')
    delivery.use(a)
    await delivery.start()
    await delivery.accept(sampleEvent('sale'))
    await settle()
    expect(a.calls[0]?.notification.title).toBe('[test] $49.00 sale · Acme Inc')
    const [error] = ofType(events, 'error')
    expect(error?.error.code).toBe('listener_failed')
    expect(error?.error.message).toContain('hook bug')
    await delivery.stop()
  })

  it("keeps each notifier to its concurrency: the app's, else the notifier's own, else 4", async () => {
    const { delivery } = makeDelivery()
    const one = fakeNotifier('one', hang)
    const two = fakeNotifier('two', hang)
    const own = { ...fakeNotifier('own', hang), concurrency: 3 }
    const overridden = { ...fakeNotifier('overridden', hang), concurrency: 3 }
    const plain = fakeNotifier('plain', hang)
    delivery.use(one, { concurrency: 1 })
    delivery.use(two, { concurrency: 2 })
    delivery.use(own)
    delivery.use(overridden, { concurrency: 1 })
    delivery.use(plain)
    await delivery.start()
    for (const n of [1, 2, 3, 4, 5, 6]) await delivery.accept(sale(n))
    await settle()
    expect(one.calls).toHaveLength(1)
    expect(two.calls.map((c) => c.id)).toEqual(['sale:pi_1', 'sale:pi_2'])
    expect(own.calls).toHaveLength(3)
    expect(overridden.calls).toHaveLength(1)
    // In flight at once, started in the order they were accepted.
    expect(plain.calls.map((c) => c.id)).toEqual(['sale:pi_1', 'sale:pi_2', 'sale:pi_3', 'sale:pi_4'])
    await stopWithin(delivery)
  })
})

describe('Delivery: one notifier never holds up another', () => {
  it("delivers every event to a healthy notifier while another one's send hangs", async () => {
    const { delivery } = makeDelivery()
    const stuck = fakeNotifier('stuck', hangDeaf)
    const fine = fakeNotifier('fine')
    delivery.use(stuck, { concurrency: 1 })
    delivery.use(fine)
    await delivery.start()
    for (const n of [1, 2, 3]) await delivery.accept(sale(n))
    await settle()
    expect(fine.delivered).toEqual(['sale:pi_1', 'sale:pi_2', 'sale:pi_3'])
    expect(stuck.calls.map((c) => c.id)).toEqual(['sale:pi_1'])
    expect(stuck.delivered).toEqual([])
    await stopWithin(delivery)
  })

  it('aborts the signal at the timeout and counts it as a retryable failure', async () => {
    const { delivery, events } = makeDelivery()
    const stuck = fakeNotifier('stuck', hangDeaf) // ignores its signal: the slot is freed anyway
    delivery.use(stuck, { timeoutMs: 2_000 })
    await delivery.start()
    await delivery.accept(sale(1))
    await delivery.accept(sale(2))
    await settle()
    const signal = stuck.calls[0]?.signal
    await vi.advanceTimersByTimeAsync(1_999)
    expect(signal?.aborted).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(signal?.aborted).toBe(true)
    expect(signal?.reason).toMatchObject({ name: 'NotifierError', retryable: true })
    expect(String(signal?.reason.message)).toContain('No answer within 2000 ms')
    const [retry] = ofType(events, 'retry')
    expect(retry).toMatchObject({ notifier: 'stuck', attempt: 1, delayMs: 750 })
    // The next notification got the freed slot.
    expect(stuck.calls.map((c) => c.id)).toEqual(['sale:pi_1', 'sale:pi_2'])
    await stopWithin(delivery)
  })
})

describe('Delivery: idempotency', () => {
  it('sends an event accepted twice only once', async () => {
    const { delivery } = makeDelivery()
    const a = fakeNotifier('a')
    delivery.use(a)
    await delivery.start()
    await Promise.all([delivery.accept(sale(1)), delivery.accept(sale(1))])
    await delivery.accept(sale(1))
    await settle()
    await delivery.accept(sale(1))
    await settle()
    expect(a.calls.map((c) => c.id)).toEqual(['sale:pi_1'])
    await delivery.stop()
  })

  it('does not send a dead letter again when its event is accepted again', async () => {
    const { delivery } = makeDelivery()
    const a = fakeNotifier('a', () => {
      throw new NotifierError('HTTP 400', { notifier: 'a', retryable: false })
    })
    delivery.use(a)
    await delivery.start()
    await delivery.accept(sale(1))
    await settle()
    await delivery.accept(sale(1))
    await settle()
    expect(a.calls).toHaveLength(1)
    expect(await delivery.deadLetters()).toHaveLength(1)
    await delivery.stop()
  })

  it('does not send again what was delivered before a restart', async () => {
    const store = new Keyv()
    const first = makeDelivery({ store })
    const a = fakeNotifier('a')
    first.delivery.use(a)
    await first.delivery.start()
    await first.delivery.accept(sale(1))
    await settle()
    await first.delivery.stop()
    const second = makeDelivery({ store })
    second.delivery.use(a)
    await second.delivery.start()
    await second.delivery.accept(sale(1)) // re-emitted after the restart
    await settle()
    expect(a.calls.map((c) => c.id)).toEqual(['sale:pi_1'])
    await second.delivery.stop()
  })

  it('keeps the delivered marker for 7 days (and at most an hour more)', async () => {
    const store = new Keyv()
    const { delivery } = makeDelivery({ store })
    const a = fakeNotifier('a')
    delivery.use(a)
    await delivery.start()
    await delivery.accept(sale(1))
    await settle()
    vi.setSystemTime(Date.now() + 7 * 24 * 3600 * 1000 - 1000)
    await delivery.accept(sale(1))
    await settle()
    expect(a.calls).toHaveLength(1)
    // Markers expire by the hour: the whole hour's bucket goes at once.
    vi.setSystemTime(Date.now() + 3600 * 1000 + 2000)
    await delivery.accept(sale(1))
    await settle()
    expect(a.calls).toHaveLength(2)
    await delivery.stop()
  })
})

describe('Delivery: when the store fails', () => {
  /** A Keyv whose writes fail while `down` is true. */
  function flakyStore() {
    const inner = new Keyv()
    const state = { down: false }
    const store = {
      get: (key: string) => inner.get(key),
      set: (key: string, value: unknown, ttl?: number) =>
        state.down ? Promise.reject(new Error('disk full')) : inner.set(key, value, ttl),
      delete: (key: string) => (state.down ? Promise.reject(new Error('disk full')) : inner.delete(key)),
    }
    return { store, inner, state }
  }

  it('rejects accept(), and a later accept of the same event is not taken for a repeat', async () => {
    const { store, state } = flakyStore()
    const { delivery } = makeDelivery({ store })
    const a = fakeNotifier('a')
    delivery.use(a)
    await delivery.start()
    state.down = true
    await expect(delivery.accept(sale(1))).rejects.toThrow('disk full')
    await settle()
    expect(a.calls).toEqual([])
    state.down = false
    await delivery.accept(sale(1))
    await settle()
    expect(a.delivered).toEqual(['sale:pi_1'])
    await delivery.stop()
  })

  it('reports a failed record of a delivery, and records it once the store is back: no repeat', async () => {
    const { store, inner, state } = flakyStore()
    const { delivery, events } = makeDelivery({ store })
    const a = fakeNotifier('a', () => {
      state.down = true // the store fails right after the send
    })
    delivery.use(a)
    await delivery.start()
    await delivery.accept(sale(1))
    await vi.advanceTimersByTimeAsync(SETTLE_MS)
    const [error] = ofType(events, 'error')
    expect(error?.error).toMatchObject({ code: 'internal' })
    expect(error?.error.message).toContain('disk full')
    expect(ofType(events, 'delivered')).toHaveLength(1)
    state.down = false
    await delivery.stop() // records what the failed batch held
    const next = makeDelivery({ store: inner })
    next.delivery.use(a)
    await next.delivery.start()
    await settle()
    expect(a.delivered).toEqual(['sale:pi_1'])
    await next.delivery.stop()
  })

  it('sends a delivery again after a restart when the store never took its record', async () => {
    const { store, inner, state } = flakyStore()
    const { delivery, events } = makeDelivery({ store })
    const a = fakeNotifier('a', () => {
      state.down = true
    })
    delivery.use(a)
    await delivery.start()
    await delivery.accept(sale(1))
    await settle()
    await delivery.stop() // the store is still down: reported, and the entry stays in the outbox
    expect(ofType(events, 'error').map((event) => event.error.message)).toEqual([
      expect.stringContaining('disk full'),
    ])
    a.behave = () => {}
    const next = makeDelivery({ store: inner })
    next.delivery.use(a)
    await next.delivery.start()
    await settle()
    expect(a.delivered).toEqual(['sale:pi_1', 'sale:pi_1'])
    await next.delivery.stop()
  })
})
