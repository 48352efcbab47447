import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { NotifierError } from '../src/shared/errors.js'
import { containsSecret } from '../src/shared/redact.js'
import {
  failFirst,
  fakeNotifier,
  inspectableStore,
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

const serverError = (): NotifierError => new NotifierError('HTTP 503', { notifier: 'a' })
const LIVE_KEY = `sk_live_${'51HabcDEFghiJKLmnoPQRstu'}vwxyz1234`
const WEBHOOK_SECRET = `whsec_${'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'}`

/** Offsets from the first call, in ms. */
function timeline(calls: ReadonlyArray<{ at: number }>): number[] {
  const start = calls[0]?.at ?? 0
  return calls.map((call) => call.at - start)
}

describe('Delivery: retries', () => {
  it('backs off exponentially with jitter, at the exact times the injected random gives', async () => {
    const { delivery, events } = makeDelivery({ random: () => 0.5 })
    const a = fakeNotifier('a', failFirst(3, serverError))
    delivery.use(a)
    await delivery.start()
    await delivery.accept(sale(1))
    await settle()
    // Half the ceiling plus half of it times random: 750, 1500, 3000 for a base of 1000.
    await vi.advanceTimersByTimeAsync(749)
    expect(a.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(a.calls).toHaveLength(2)
    await vi.runAllTimersAsync()
    expect(timeline(a.calls)).toEqual([0, 750, 750 + 1500, 750 + 1500 + 3000])
    expect(a.calls.map((c) => c.attempt)).toEqual([1, 2, 3, 4])
    expect(ofType(events, 'retry').map((e) => [e.attempt, e.delayMs])).toEqual([
      [1, 750],
      [2, 1500],
      [3, 3000],
    ])
    expect(ofType(events, 'delivered')).toMatchObject([{ attempt: 4 }])
    await delivery.stop()
  })

  it('uses the whole jitter range and caps the delay', async () => {
    const randoms = [0, 0.999, 0.25]
    const { delivery, events } = makeDelivery({ random: () => randoms.shift() ?? 0 })
    delivery.use(fakeNotifier('a', failFirst(3, serverError)), {
      retry: { baseDelayMs: 200, maxDelayMs: 500 },
    })
    await delivery.start()
    await delivery.accept(sale(1))
    await vi.runAllTimersAsync()
    // ceilings 200, 400, 500 (capped): 100 + 0, 200 + 199.8, 250 + 62.5
    expect(ofType(events, 'retry').map((e) => e.delayMs)).toEqual([100, 400, 313])
    await delivery.stop()
  })

  it("honours the channel's Retry-After", async () => {
    const { delivery, events } = makeDelivery()
    const a = fakeNotifier(
      'a',
      failFirst(1, () => new NotifierError('HTTP 429', { notifier: 'a', retryAfterMs: 42_000 })),
    )
    delivery.use(a)
    await delivery.start()
    await delivery.accept(sale(1))
    await settle()
    await vi.advanceTimersByTimeAsync(41_999)
    expect(a.calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1)
    expect(a.calls).toHaveLength(2)
    expect(ofType(events, 'retry')[0]?.delayMs).toBe(42_000)
    expect(a.delivered).toEqual(['sale:pi_1'])
    await delivery.stop()
  })

  it('counts any other error as retryable', async () => {
    const { delivery } = makeDelivery()
    const a = fakeNotifier(
      'a',
      failFirst(1, () => new TypeError('fetch failed')),
    )
    delivery.use(a)
    await delivery.start()
    await delivery.accept(sale(1))
    await vi.runAllTimersAsync()
    expect(a.delivered).toEqual(['sale:pi_1'])
    await delivery.stop()
  })
})

describe('Delivery: dead letters', () => {
  it('makes a notification a dead letter after the last attempt', async () => {
    const { delivery, events } = makeDelivery()
    const a = fakeNotifier('a', () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' })
    })
    delivery.use(a, { retry: { attempts: 3 } })
    await delivery.start()
    await delivery.accept(sale(1))
    await vi.runAllTimersAsync()
    expect(a.calls).toHaveLength(3)
    const letters = await delivery.deadLetters()
    expect(letters).toHaveLength(1)
    expect(letters[0]).toMatchObject({
      id: 'a:sale:pi_1',
      notifier: 'a',
      attempts: 3,
      error: {
        code: 'ECONNREFUSED',
        message: '[cashnotify] [a] Send failed: connect ECONNREFUSED 127.0.0.1:9',
      },
    })
    expect(letters[0]?.notification).toEqual(a.calls[0]?.notification)
    expect(letters[0]?.failedAt).toBeInstanceOf(Date)
    expect(ofType(events, 'dead_letter').map((e) => e.deadLetter)).toEqual(letters)
    await delivery.stop()
  })

  it('makes a notification a dead letter at once on a non-retryable error', async () => {
    const { delivery, events } = makeDelivery()
    const a = fakeNotifier('a', () => {
      throw new NotifierError('HTTP 400: bad payload', { notifier: 'a', retryable: false })
    })
    delivery.use(a)
    await delivery.start()
    await delivery.accept(sale(1))
    await settle()
    expect(a.calls).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
    expect(ofType(events, 'retry')).toEqual([])
    expect(await delivery.deadLetters()).toMatchObject([
      { attempts: 1, error: { code: 'notifier_failed', message: '[cashnotify] [a] HTTP 400: bad payload' } },
    ])
    await delivery.stop()
  })

  it('stores no secret in a dead letter, whatever the error said', async () => {
    const { store, dump } = inspectableStore()
    const { delivery, events } = makeDelivery({ store })
    const leaky = new Error(`401 for ${LIVE_KEY} signed with ${WEBHOOK_SECRET}`)
    delivery.use(
      fakeNotifier('plain', () => Promise.reject(leaky)),
      { retry: { attempts: 1 } },
    )
    delivery.use(
      fakeNotifier('typed', () => {
        const error = new NotifierError('refused', { notifier: 'typed', retryable: false })
        // A notifier that edits its message after construction still cannot leak through the store.
        Object.defineProperty(error, 'message', { value: `refused ${LIVE_KEY} ${WEBHOOK_SECRET}` })
        throw error
      }),
    )
    await delivery.start()
    await delivery.accept(sale(1))
    await settle()
    const letters = await delivery.deadLetters()
    expect(letters).toHaveLength(2)
    for (const letter of letters) {
      expect(containsSecret(letter.error.message)).toBe(false)
      expect(letter.error.message).toContain('sk_live_…1234')
      expect(letter.error.message).toContain('whsec_…')
    }
    expect(dump()).toContain('sk_live_…1234')
    expect(containsSecret(dump())).toBe(false)
    for (const event of ofType(events, 'dead_letter'))
      expect(containsSecret(event.deadLetter.error.message)).toBe(false)
    const plain = ofType(events, 'dead_letter').find((event) => event.deadLetter.notifier === 'plain')
    expect(containsSecret(plain?.error.message ?? LIVE_KEY)).toBe(false)
    await delivery.stop()
  })

  it('replays dead letters: attempts reset, delivered, gone from the list', async () => {
    const { delivery, events } = makeDelivery()
    let down = true
    const a = fakeNotifier('a', () => {
      if (down) throw new NotifierError('HTTP 400', { notifier: 'a', retryable: false })
    })
    delivery.use(a)
    await delivery.start()
    await delivery.accept(sale(1))
    await delivery.accept(sale(2))
    await settle()
    expect((await delivery.deadLetters()).map((l) => l.id)).toEqual(['a:sale:pi_1', 'a:sale:pi_2'])
    down = false
    expect(await delivery.replay(['a:sale:pi_2', 'a:unknown'])).toBe(1)
    await settle()
    expect(a.delivered).toEqual(['sale:pi_2'])
    expect(a.calls.at(-1)?.attempt).toBe(1)
    expect((await delivery.deadLetters()).map((l) => l.id)).toEqual(['a:sale:pi_1'])
    expect(await delivery.replay()).toBe(1)
    await settle()
    expect(a.delivered).toEqual(['sale:pi_2', 'sale:pi_1'])
    expect(await delivery.deadLetters()).toEqual([])
    expect(ofType(events, 'delivered')).toHaveLength(2)
    await delivery.stop()
  })

  it('keeps at most maxDeadLetters, dropping the oldest', async () => {
    const { delivery } = makeDelivery({ maxDeadLetters: 2 })
    delivery.use(
      fakeNotifier('a', () => Promise.reject(new NotifierError('no', { notifier: 'a', retryable: false }))),
    )
    await delivery.start()
    for (const n of [1, 2, 3]) await delivery.accept(sale(n))
    await settle()
    expect((await delivery.deadLetters()).map((l) => l.id)).toEqual(['a:sale:pi_2', 'a:sale:pi_3'])
    await delivery.stop()
  })
})

describe('Delivery: a notifier whose channel is gone', () => {
  it('is disabled, what waited for it becomes dead letters, and the others go on', async () => {
    const { delivery, events } = makeDelivery()
    let gone = true
    const hook = fakeNotifier('hook', () => {
      if (gone) throw new NotifierError('HTTP 410 Gone', { notifier: 'hook', disable: true })
    })
    const other = fakeNotifier('other')
    delivery.use(hook, { concurrency: 1 })
    delivery.use(other)
    for (const n of [1, 2, 3]) await delivery.accept(sale(n))
    await delivery.start()
    await settle()
    expect(hook.calls.map((c) => c.id)).toEqual(['sale:pi_1'])
    expect(ofType(events, 'notifier_disabled')).toMatchObject([{ notifier: 'hook' }])
    expect(ofType(events, 'notifier_disabled')[0]?.error.message).toContain('HTTP 410 Gone')
    expect((await delivery.deadLetters()).map((l) => [l.id, l.attempts])).toEqual([
      ['hook:sale:pi_1', 1],
      ['hook:sale:pi_2', 0],
      ['hook:sale:pi_3', 0],
    ])
    // Accepted while disabled: a dead letter at once, so that nothing is lost for a replay.
    await delivery.accept(sale(4))
    await settle()
    expect(hook.calls).toHaveLength(1)
    expect((await delivery.deadLetters()).map((l) => l.id)).toContain('hook:sale:pi_4')
    expect(other.delivered).toEqual(['sale:pi_1', 'sale:pi_2', 'sale:pi_3', 'sale:pi_4'])
    // Fixed: replaying its dead letters enables it again.
    gone = false
    expect(await delivery.replay()).toBe(4)
    await settle()
    expect(hook.delivered).toEqual(['sale:pi_1', 'sale:pi_2', 'sale:pi_3', 'sale:pi_4'])
    await delivery.accept(sale(5))
    await settle()
    expect(hook.delivered).toContain('sale:pi_5')
    await stopWithin(delivery)
  })
})
