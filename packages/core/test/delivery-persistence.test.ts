import { Keyv } from 'keyv'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MAX_STORED_LOGO_BYTES } from '../src/delivery/index.js'
import { toNotification } from '../src/delivery/notification.js'
import { SETTLE_BATCH, SETTLE_MS } from '../src/delivery/outbox.js'
import { reviveNotification, storeNotification } from '../src/delivery/serialize.js'
import { formatNotification } from '../src/delivery/text/format.js'
import type { DomainEvent } from '../src/enrich/domain-events.js'
import { NotifierError } from '../src/shared/errors.js'
import { DOMAIN_EVENT_TYPES, sampleAccount, sampleEvent } from '../src/testing/fixtures.js'
import {
  crashableStore,
  type FakeNotifier,
  failFirst,
  fakeNotifier,
  hang,
  hangDeaf,
  inspectableStore,
  makeDelivery,
  sale,
  settle,
} from './delivery-helpers.js'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

const serverError = (): NotifierError => new NotifierError('HTTP 503', { notifier: 'x' })
const roundTrip = (event: DomainEvent) => {
  const notification = toNotification(event, formatNotification(event))
  const stored = JSON.parse(JSON.stringify(storeNotification(notification)))
  return { notification, revived: reviveNotification(stored) }
}

/** An event with everything that JSON does not keep as is: dates, bytes, a raw Stripe event. */
function richSale(logoBytes: number): DomainEvent {
  const logo = {
    source: 'custom' as const,
    contentType: 'image/png' as const,
    data: new Uint8Array(logoBytes).fill(7),
  }
  const raw = {
    id: 'evt_1',
    object: 'event',
    data: { object: { id: 'pi_1', metadata: { $date: 'x' } } },
    previous: null,
  }
  return {
    ...sampleEvent('sale'),
    account: sampleAccount({ logo: { ...logo, url: 'https://files.example/logo.png' } }),
    unavailable: { fee: 'missing permission rak_balance_read' },
    stripeEvents: [raw as never],
  }
}

describe('Delivery: notifications in the store', () => {
  it.each(DOMAIN_EVENT_TYPES)('revives a stored %s notification equal to the original', (type) => {
    const { notification, revived } = roundTrip(sampleEvent(type))
    expect(revived).toStrictEqual(notification)
  })

  it('keeps logo bytes up to 64 KB, dates and raw Stripe events', () => {
    const { notification, revived } = roundTrip(richSale(MAX_STORED_LOGO_BYTES))
    expect(revived).toStrictEqual(notification)
    expect(revived?.account.logo.data).toBeInstanceOf(Uint8Array)
    expect(revived?.createdAt).toBeInstanceOf(Date)
  })

  it('keeps only the URL of a larger logo', () => {
    const { revived } = roundTrip(richSale(MAX_STORED_LOGO_BYTES + 1))
    expect(revived?.account.logo).toEqual({
      source: 'custom',
      contentType: 'image/png',
      url: 'https://files.example/logo.png',
    })
  })

  it('gives a notifier after a restart the notification it would have got before', async () => {
    const store = new Keyv()
    const event = richSale(1000)
    const first = makeDelivery({ store })
    first.delivery.use(fakeNotifier('a'))
    await first.delivery.accept(event)
    const second = makeDelivery({ store })
    const a = fakeNotifier('a')
    second.delivery.use(a)
    await second.delivery.start()
    await settle()
    expect(a.calls[0]?.notification).toStrictEqual(
      toNotification(event, formatNotification(event, { timeZone: 'UTC' })),
    )
    await second.delivery.stop()
  })
})

describe('Delivery: a crash loses nothing accepted', () => {
  it('delivers everything after a crash with sends in flight and retries scheduled, repeating only those in flight', async () => {
    const crashable = crashableStore()
    const first = makeDelivery({ store: crashable.store })
    const fast = fakeNotifier('fast', (n, ctx) => (n.id === 'sale:pi_4' ? hangDeaf(n, ctx) : undefined))
    const flaky = fakeNotifier('flaky', failFirst(1, serverError))
    const slow = fakeNotifier('slow', hang)
    // One send at a time each: what is in flight and what waits at the crash is known.
    for (const notifier of [fast, flaky, slow]) first.delivery.use(notifier, { concurrency: 1 })
    await first.delivery.start()
    const ids = [1, 2, 3, 4, 5, 6].map((n) => `sale:pi_${n}`)
    for (const n of [1, 2, 3, 4, 5, 6]) await first.delivery.accept(sale(n))
    await settle()
    expect(fast.delivered).toEqual(ids.slice(0, 3)) // 4 in flight, 5 and 6 waiting
    expect(flaky.calls.map((c) => c.id)).toEqual(ids) // each failed once, its retry scheduled
    expect(slow.calls.map((c) => c.id)).toEqual(ids.slice(0, 1))

    // The process dies: no more writes, no timers, nothing in flight ever answers.
    crashable.crash()
    vi.clearAllTimers()
    for (const notifier of [fast, flaky, slow]) notifier.behave = () => {}

    const second = makeDelivery({ store: crashable.inner })
    for (const notifier of [fast, flaky, slow]) second.delivery.use(notifier, { concurrency: 1 })
    await second.delivery.start()
    await vi.runAllTimersAsync()
    const count = (notifier: FakeNotifier, id: string) => notifier.calls.filter((c) => c.id === id).length
    for (const notifier of [fast, flaky, slow]) expect([...notifier.delivered].sort()).toEqual(ids)
    // Delivered before the crash: never sent again. In flight at the crash: sent once more.
    expect(ids.map((id) => count(fast, id))).toEqual([1, 1, 1, 2, 1, 1])
    expect(ids.map((id) => count(slow, id))).toEqual([2, 1, 1, 1, 1, 1])
    // The retry count survived the crash.
    expect(flaky.calls.filter((c) => c.id === 'sale:pi_1').map((c) => c.attempt)).toEqual([1, 2])
    expect(await second.delivery.deadLetters()).toEqual([])
    await second.delivery.stop()
  })

  /** One life that dies at its `limit`-th store write, then a second life over what was written. */
  async function crashAt(
    limit: number,
  ): Promise<{ writes: number; accepted: string[]; sends: Map<string, number> }> {
    const crashable = crashableStore(new Keyv(), limit)
    const dead = (): boolean => crashable.state.crashed
    const a = fakeNotifier('a')
    const b = fakeNotifier('b')
    const failures = failFirst(1, serverError)
    a.behave = (n, ctx) => {
      if (dead()) return hangDeaf(n, ctx) // a dead process sends nothing
      if (n.id === 'sale:pi_2') return failures(n, ctx)
      if (n.id === 'sale:pi_3' && ctx.attempt === 1)
        throw new NotifierError('HTTP 400', { notifier: 'a', retryable: false })
    }
    b.behave = (n, ctx) => (dead() ? hangDeaf(n, ctx) : undefined)
    const first = makeDelivery({ store: crashable.store })
    first.delivery.use(a)
    first.delivery.use(b)
    const accepted: string[] = []
    void (async () => {
      await first.delivery.start()
      for (const n of [1, 2, 3]) {
        await first.delivery.accept(sale(n))
        accepted.push(`sale:pi_${n}`)
      }
    })()
    await vi.runAllTimersAsync()
    crashable.crash()
    vi.clearAllTimers()

    for (const notifier of [a, b]) notifier.behave = () => {}
    const second = makeDelivery({ store: crashable.inner })
    second.delivery.use(a)
    second.delivery.use(b)
    await second.delivery.start()
    await vi.runAllTimersAsync()
    await second.delivery.replay()
    await vi.runAllTimersAsync()
    await second.delivery.stop()
    const sends = new Map<string, number>()
    for (const notifier of [a, b])
      for (const id of notifier.delivered)
        sends.set(`${notifier.name}:${id}`, (sends.get(`${notifier.name}:${id}`) ?? 0) + 1)
    return { writes: crashable.state.writes, accepted, sends }
  }

  it('at every single store write', async () => {
    const full = await crashAt(Number.POSITIVE_INFINITY)
    expect(full.accepted).toHaveLength(3)
    expect(full.writes).toBeGreaterThan(10)
    for (let limit = 0; limit <= full.writes; limit++) {
      const { accepted, sends } = await crashAt(limit)
      for (const id of accepted)
        for (const notifier of ['a', 'b']) {
          const delivered = sends.get(`${notifier}:${id}`) ?? 0
          // Accepted means delivered, at least once and at most once more (the send in flight).
          expect(delivered, `crash at write ${limit}: ${notifier} ${id}`).toBeGreaterThanOrEqual(1)
          expect(delivered, `crash at write ${limit}: ${notifier} ${id}`).toBeLessThanOrEqual(2)
        }
    }
  })
})

describe('Delivery: deliveries recorded in batches', () => {
  const sentSegment = (key: string): boolean => /^(keyv:)?cashnotify:delivery:sent:\d+/.test(key)

  it('records a burst of deliveries with one marker write per batch, not one per delivery', async () => {
    const { store, map } = inspectableStore()
    const writes: string[] = []
    const counted = {
      get: (key: string) => store.get(key),
      delete: (key: string) => store.delete(key),
      set: (key: string, value: unknown, ttl?: number) => {
        writes.push(key)
        return store.set(key, value, ttl)
      },
    }
    const { delivery } = makeDelivery({ store: counted })
    // One send a millisecond, as a receiver's round trips space them: no two deliveries share a write by chance.
    const a = fakeNotifier('a', () => new Promise((resolve) => setTimeout(resolve, 1)))
    delivery.use(a, { concurrency: 1 })
    await delivery.start()
    const count = 256
    await Promise.all(Array.from({ length: count }, (_, i) => delivery.accept(sale(i))))
    await vi.advanceTimersByTimeAsync(count + SETTLE_MS)
    expect(a.delivered).toHaveLength(count)
    expect(writes.filter((key) => key.includes(':entry:'))).toHaveLength(count) // one per accept
    expect(SETTLE_BATCH).toBe(64)
    expect(writes.filter(sentSegment).length).toBeLessThanOrEqual(count / 64 + 1)
    expect([...map.keys()].filter((key) => key.includes(':entry:'))).toEqual([]) // every record deleted
    await delivery.stop()
    // The markers are in the store: a new process skips the same events.
    const next = makeDelivery({ store })
    const b = fakeNotifier('a')
    next.delivery.use(b)
    await next.delivery.start()
    await Promise.all(Array.from({ length: count }, (_, i) => next.delivery.accept(sale(i))))
    await settle()
    expect(b.calls).toEqual([])
    await next.delivery.stop()
  })

  it('records a lone delivery within SETTLE_MS: until then its record stays, and it is delivered in memory', async () => {
    const { store, map } = inspectableStore()
    const { delivery } = makeDelivery({ store })
    const a = fakeNotifier('a')
    delivery.use(a)
    await delivery.start()
    await delivery.accept(sale(1))
    await settle()
    expect(a.delivered).toEqual(['sale:pi_1'])
    expect(map.has('keyv:cashnotify:delivery:entry:a:sale:pi_1')).toBe(true)
    await delivery.accept(sale(1)) // a repeat, known in memory
    await settle()
    expect(a.delivered).toEqual(['sale:pi_1'])
    await vi.advanceTimersByTimeAsync(SETTLE_MS - 1)
    expect(map.has('keyv:cashnotify:delivery:entry:a:sale:pi_1')).toBe(true)
    await vi.advanceTimersByTimeAsync(1)
    expect(map.has('keyv:cashnotify:delivery:entry:a:sale:pi_1')).toBe(false)
    expect([...map.keys()].some(sentSegment)).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
    await delivery.stop()
  })
})

describe('Delivery: stop() and start()', () => {
  it('drains sends in flight within the timeout, clears every timer and closes the notifiers', async () => {
    const store = new Keyv()
    const { delivery } = makeDelivery({ store })
    const a = fakeNotifier('a', () => new Promise((resolve) => setTimeout(resolve, 2_000)))
    const later = () => new NotifierError('HTTP 429', { notifier: 'b', retryAfterMs: 60_000 })
    const b = fakeNotifier('b', failFirst(1, later))
    delivery.use(a, { concurrency: 1 })
    delivery.use(b, { concurrency: 1 })
    await delivery.start()
    await delivery.accept(sale(1))
    await delivery.accept(sale(2))
    await settle()
    expect(vi.getTimerCount()).toBe(4) // a's send, its timeout, b's two retries in a minute
    const stopping = delivery.stop({ timeoutMs: 5_000 })
    await vi.advanceTimersByTimeAsync(2_000)
    await stopping
    expect(a.delivered).toEqual(['sale:pi_1'])
    expect(a.calls).toHaveLength(1) // nothing new started while stopping
    expect(vi.getTimerCount()).toBe(0)
    expect([a.closed, b.closed]).toEqual([1, 1])

    // What was left waits in the store for the next start.
    const next = makeDelivery({ store })
    next.delivery.use(a)
    next.delivery.use(b)
    a.behave = () => {}
    await next.delivery.start()
    await vi.runAllTimersAsync()
    expect(a.delivered).toEqual(['sale:pi_1', 'sale:pi_2'])
    expect(b.delivered).toEqual(['sale:pi_1', 'sale:pi_2'])
    await next.delivery.stop()
  })

  it('aborts sends still in flight at the timeout and keeps them in the outbox', async () => {
    const store = new Keyv()
    const { delivery, events } = makeDelivery({ store })
    const a = fakeNotifier('a', hang)
    delivery.use(a)
    await delivery.start()
    await delivery.accept(sale(1))
    await settle()
    const stopping = delivery.stop({ timeoutMs: 1_000 })
    await vi.advanceTimersByTimeAsync(999)
    expect(a.calls[0]?.signal.aborted).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    await stopping
    expect(a.calls[0]?.signal.aborted).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
    expect(events.filter((e) => e.type !== 'delivered')).toEqual([]) // not a failure: no retry, no dead letter

    a.behave = () => {}
    const next = makeDelivery({ store })
    next.delivery.use(a)
    await next.delivery.start()
    await settle()
    expect(a.delivered).toEqual(['sale:pi_1'])
    expect(a.calls.map((c) => c.attempt)).toEqual([1, 1])
    await next.delivery.stop()
  })

  it('keeps the entries of a notifier that is not registered until it is', async () => {
    const store = new Keyv()
    const first = makeDelivery({ store })
    first.delivery.use(fakeNotifier('a'))
    first.delivery.use(fakeNotifier('b'))
    await first.delivery.accept(sale(1))
    const second = makeDelivery({ store })
    const a = fakeNotifier('a')
    second.delivery.use(a)
    await second.delivery.start()
    await settle()
    await second.delivery.stop()
    expect(a.delivered).toEqual(['sale:pi_1'])

    const third = makeDelivery({ store })
    const b = fakeNotifier('b')
    third.delivery.use(b)
    await third.delivery.start()
    await settle()
    expect(b.delivered).toEqual(['sale:pi_1'])
    await third.delivery.stop()
  })

  it('can be started again after stop({ close: false })', async () => {
    const { delivery } = makeDelivery()
    const a = fakeNotifier('a', failFirst(1, serverError))
    delivery.use(a)
    await delivery.start()
    await delivery.accept(sale(1))
    await settle()
    await delivery.stop({ close: false })
    expect(a.closed).toBe(0)
    await delivery.accept(sale(2)) // accepted while stopped: persisted, sent at the next start
    await delivery.start()
    await vi.runAllTimersAsync()
    expect([...a.delivered].sort()).toEqual(['sale:pi_1', 'sale:pi_2'])
    await delivery.stop()
  })
})
