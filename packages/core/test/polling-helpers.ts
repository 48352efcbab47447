import { StripeSimulator } from '@cashnotify/stripe-simulator'
import type Stripe from 'stripe'
import { vi } from 'vitest'
import {
  CashNotify,
  type CashNotifyError,
  type CashNotifyOptions,
  type KeyValueStore,
  silentLogger,
} from '../src/index.js'
import { ALL_PERMISSIONS } from './helpers.js'

/** A read allocation so large that polls come at `pollInterval`, for tests that are not about pacing. */
export const UNPACED = { monthly: 1_000_000_000 } as const

/** Fake time starts here; the simulator and CashNotify both read the faked `Date.now()`. */
export const START = Date.UTC(2026, 10, 2, 12, 0, 0)

/** What a test saw of one emitted Stripe event. */
export interface Seen {
  id: string
  created: number
  account: string
  backfill: boolean
}

/**
 * A simulator answering in-process through `fetch`, so fake timers drive everything: no socket, no
 * real time. (Tests of the real HTTP path are in the soak test and the key tests.)
 */
export function fakeTimeSimulator(): { sim: StripeSimulator; fetch: Fetch } {
  const clock = { now: (): number => Date.now() }
  const sim = new StripeSimulator({ clock, rateLimitClock: clock, seed: 7 })
  return { sim, fetch: inProcessFetch(sim) }
}

/** The simulator's API as a fetch, in-process: like a real fetch, it rejects as soon as the request's signal aborts (stripe-node's timeout). */
export function inProcessFetch(sim: StripeSimulator): Fetch {
  return ((input: RequestInfo | URL, init?: RequestInit) =>
    new Promise<Response>((resolve, reject) => {
      const signal = init?.signal
      signal?.addEventListener('abort', () => reject(signal.reason), { once: true })
      sim.handle(new Request(input, init)).then(resolve, reject)
    })) as Fetch
}

/** The fetch function type. */
export type Fetch = typeof globalThis.fetch

/** A CashNotify on the in-process simulator, recording every emitted event. */
export function watcher(
  fetch: Fetch,
  options: CashNotifyOptions = {},
): { cn: CashNotify; seen: Seen[]; errors: CashNotifyError[] } {
  const cn = new CashNotify({
    stripe: { fetch },
    pollInterval: 1_000,
    random: () => 0.5,
    retry: { retries: 0 },
    // Fake timers: the first second of a budget is not held back (budget.test.ts checks that it is).
    budget: { startFull: false },
    // Tests of other things poll at their interval: an allocation no pace comes near (pacing.test.ts).
    readAllocation: UNPACED,
    logger: silentLogger,
    ...options,
  })
  const seen: Seen[] = []
  const errors: CashNotifyError[] = []
  cn.on('stripe.event', (event, { account, backfill }) => {
    seen.push({ id: event.id, created: event.created, account: account.ref, backfill })
  })
  cn.on('error', (error) => void errors.push(error))
  return { cn, seen, errors }
}

/** A business with a full restricted key in the given mode. */
export function business(sim: StripeSimulator, mode: 'live' | 'test' = 'test'): { id: string; key: string } {
  const id = sim.createAccount({ businessName: `Shop ${mode}` }).id
  return { id, key: sim.createKey({ account: id, kind: 'restricted', mode, permissions: ALL_PERMISSIONS }) }
}

/** Creates `count` charge events, `created` at the given unix second or at "now". */
export function charges(
  sim: StripeSimulator,
  account: string,
  count: number,
  options: { created?: number; livemode?: boolean } = {},
): Stripe.Event[] {
  return Array.from({ length: count }, () =>
    sim.createEvent({
      account,
      livemode: options.livemode ?? false,
      type: 'charge.succeeded',
      object: { id: `ch_${Math.random().toString(36).slice(2, 12)}`, object: 'charge' },
      ...(options.created === undefined ? {} : { created: options.created }),
    }),
  )
}

/** Advances fake time by `ms`, running every timer and promise due. */
export async function advance(ms: number): Promise<void> {
  await vi.advanceTimersByTimeAsync(ms)
}

/** Ids in emission order are unique and `created` never goes back, per account. */
export function assertOncePerAccountInOrder(seen: Seen[]): void {
  const ids = new Set<string>()
  const last = new Map<string, number>()
  for (const event of seen) {
    if (ids.has(event.id)) throw new Error(`${event.id} was emitted twice`)
    ids.add(event.id)
    if (event.created < (last.get(event.account) ?? 0))
      throw new Error(`${event.id} was emitted out of order`)
    last.set(event.account, event.created)
  }
}

/** Every key the store holds, for tests that look at what was persisted. */
export type { KeyValueStore }
