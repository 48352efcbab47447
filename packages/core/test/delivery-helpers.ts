import { Keyv } from 'keyv'
import { vi } from 'vitest'
import { Delivery, type DeliveryEvent, type DeliveryOptions } from '../src/delivery/index.js'
import type { Notification, Notifier, NotifierContext } from '../src/delivery/notifier.js'
import type { DomainEvent } from '../src/enrich/domain-events.js'
import { silentLogger } from '../src/shared/logger.js'
import type { KeyValueStore } from '../src/shared/store.js'
import { sampleEvent } from '../src/testing/fixtures.js'

/** What a fake notifier does with one send: resolve, reject, or hang. */
export type Behaviour = (notification: Notification, context: NotifierContext) => Promise<void> | void

/** One call a fake notifier received. */
export interface Call {
  readonly id: string
  readonly attempt: number
  readonly signal: AbortSignal
  readonly at: number
  readonly notification: Notification
}

/** A notifier written as a plain object, recording every call and every successful delivery. */
export interface FakeNotifier extends Notifier {
  readonly calls: Call[]
  /** Ids whose send resolved. */
  readonly delivered: string[]
  closed: number
  behave: Behaviour
}

export function fakeNotifier(name: string, behave: Behaviour = () => {}): FakeNotifier {
  const fake: FakeNotifier = {
    name,
    calls: [],
    delivered: [],
    closed: 0,
    behave,
    async send(notification, context) {
      fake.calls.push({
        id: notification.id,
        attempt: context.attempt,
        signal: context.signal,
        at: Date.now(),
        notification,
      })
      await fake.behave(notification, context)
      fake.delivered.push(notification.id)
    },
    async close() {
      fake.closed++
    },
  }
  return fake
}

/** A send that never answers; it rejects with the signal's reason when aborted. */
export const hang: Behaviour = (_n, { signal }) =>
  new Promise((_resolve, reject) => signal.addEventListener('abort', () => reject(signal.reason)))

/** A send that never answers and ignores its signal, like a badly written notifier. */
export const hangDeaf: Behaviour = () => new Promise(() => {})

/** Fails the first `times` sends of each notification with `error()`, then succeeds. */
export function failFirst(times: number, error: () => unknown): Behaviour {
  const seen = new Map<string, number>()
  return (notification) => {
    const count = (seen.get(notification.id) ?? 0) + 1
    seen.set(notification.id, count)
    if (count <= times) throw error()
  }
}

/** A sale with its own id. */
export function sale(n: number, overrides: Partial<DomainEvent> = {}): DomainEvent {
  return { ...sampleEvent('sale'), id: `sale:pi_${n}`, ...overrides } as DomainEvent
}

/** A Keyv over a Map, so a test can read what was stored, as stored. */
export function inspectableStore(): { store: Keyv; map: Map<string, unknown>; dump(): string } {
  const map = new Map<string, unknown>()
  return { store: new Keyv({ store: map }), map, dump: () => [...map.values()].map(String).join('\n') }
}

/**
 * A store whose process "dies": after `crash()`, or after its `limit`-th write, every call hangs forever,
 * as if the process had stopped there.
 */
export function crashableStore(inner: KeyValueStore = new Keyv(), limit = Number.POSITIVE_INFINITY) {
  const never = new Promise<never>(() => {})
  const state = { writes: 0, crashed: false }
  const write = <T>(run: () => Promise<T>): Promise<T> => {
    if (state.crashed || state.writes >= limit) {
      state.crashed = true
      return never
    }
    state.writes++
    return run()
  }
  const store: KeyValueStore = {
    get: (key) => (state.crashed ? never : inner.get(key)),
    set: (key, value, ttl) => write(() => inner.set(key, value, ttl)),
    delete: (key) => write(() => inner.delete(key)),
  }
  return {
    store,
    inner,
    state,
    crash(): void {
      state.crashed = true
    },
  }
}

/** A delivery with a silent logger, exact jitter (0.5) and every event recorded. */
export function makeDelivery(options: Partial<DeliveryOptions> & { store?: KeyValueStore } = {}) {
  const events: DeliveryEvent[] = []
  const delivery = new Delivery({
    store: new Keyv(),
    logger: silentLogger,
    random: () => 0.5,
    timeZone: 'UTC',
    ...options,
    onEvent: (event) => {
      events.push(event)
      options.onEvent?.(event)
    },
  })
  return { delivery, events }
}

/** Events of one type. */
export function ofType<T extends DeliveryEvent['type']>(
  events: readonly DeliveryEvent[],
  type: T,
): Array<Extract<DeliveryEvent, { type: T }>> {
  return events.filter((event): event is Extract<DeliveryEvent, { type: T }> => event.type === type)
}

/** Lets every promise chain that waits on no timer run to its end, without moving the clock. */
export async function settle(): Promise<void> {
  await vi.advanceTimersByTimeAsync(0)
}

/** Stops a delivery whose sends may hang: moves the fake clock past the drain timeout. */
export async function stopWithin(delivery: Delivery, timeoutMs = 10): Promise<void> {
  const stopping = delivery.stop({ timeoutMs })
  await vi.advanceTimersByTimeAsync(timeoutMs)
  await stopping
}
