/**
 * Shops on the simulator clock: fake timers drive CashNotify, the simulator and its webhook deliveries
 * in-process, so that days of polling run in seconds. The benches that count reads over a month and
 * time sales at rest build on these.
 */

import {
  type Account,
  type AddAccountInput,
  CashNotify,
  type CashNotifyOptions,
  type KeyValueStore,
  OPTIONAL_PERMISSIONS,
  REQUIRED_PERMISSIONS,
  silentLogger,
  type WebhookHandler,
} from '@cashnotify/core'
import { StripeSimulator } from '@cashnotify/stripe-simulator'
import FakeTimers from '@sinonjs/fake-timers'

export const DAY_MS = 86_400_000
export const MONTH_MS = 30 * DAY_MS
/** Fake time starts here. */
export const START = Date.UTC(2026, 10, 2, 12, 0, 0)
const PERMISSIONS = [...REQUIRED_PERMISSIONS, ...OPTIONAL_PERMISSIONS]

/** The fake clock: `Date`, timeouts and intervals, moved by `tick`. */
export interface FakeTime {
  tick(ms: number): Promise<void>
  uninstall(): void
}

/** Fakes the process's clock from {@link START}; `uninstall()` gives real time back. */
export function installFakeTime(): FakeTime {
  const clock = FakeTimers.withGlobal(globalThis).install({
    now: START,
    toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
    // Sockets kept alive from earlier benches clear their real timers while the fake ones are installed.
    shouldClearNativeTimers: true,
  })
  return { tick: async (ms) => void (await clock.tickAsync(ms)), uninstall: () => clock.uninstall() }
}

/** A seeded source of numbers in [0, 1) (mulberry32): the same run every time. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** A store without serialisation: the benches count reads, and Keyv's serialiser would only cost CPU. */
function mapStore(): KeyValueStore {
  const map = new Map<string, unknown>()
  return {
    get: async (key) => map.get(key),
    set: async (key, value) => void map.set(key, value),
    delete: async (key) => map.delete(key),
  }
}

/** A simulator answered in-process, whose webhook deliveries go to the handler routed by their URL. */
export class InProcessStripe {
  readonly sim: StripeSimulator
  readonly fetch: typeof globalThis.fetch
  readonly #routes = new Map<string, WebhookHandler>()

  constructor(seed: number) {
    const clock = { now: (): number => Date.now() }
    const deliver = (async (input: RequestInfo | URL, init?: RequestInit) => {
      const handler = this.#routes.get(String(input))
      return handler ? handler.fetch(new Request(input, init)) : new Response('no route', { status: 404 })
    }) as typeof globalThis.fetch
    this.sim = new StripeSimulator({ clock, rateLimitClock: clock, seed, webhooks: { fetch: deliver } })
    // Like a real fetch, it rejects when the request's signal aborts (stripe-node's timeout).
    this.fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
      new Promise<Response>((resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason), { once: true })
        this.sim.handle(new Request(input, init)).then(resolve, reject)
      })) as typeof globalThis.fetch
  }

  /** A CashNotify on this simulator with the default pacing (what an app gets), plus `options`. */
  cashNotify(random: () => number, options: CashNotifyOptions = {}): CashNotify {
    return new CashNotify({
      stripe: { fetch: this.fetch },
      store: mapStore(),
      logger: silentLogger,
      random,
      ...options,
    })
  }

  /** Sends the webhook deliveries for `url` to `handler`. */
  route(url: string, handler: WebhookHandler): void {
    this.#routes.set(url, handler)
  }

  /** When the account's GET requests (Stripe's reads), of `path` or any, were made in [from, to), ms. */
  reads(account: string, from: number, to: number, path?: string): number[] {
    return this.sim.requests.log
      .filter((e) => e.account === account && e.method === 'GET' && e.at >= from && e.at < to)
      .filter((e) => path === undefined || e.path === path)
      .map((e) => e.at)
  }
}

/** A live-mode shop with a restricted key and a month of sales behind it. */
export interface Shop {
  readonly id: string
  readonly key: string
  /** A sale now, its events all created by now; resolves its charge id. */
  sell(): string
}

/** A live shop that made `salesPerMonth` sales, evenly spread, in the 30 days before now. */
export function shopWithHistory(stripe: InProcessStripe, salesPerMonth: number, name: string): Shop {
  const { sim } = stripe
  const id = sim.createAccount({ businessName: name }).id
  const key = sim.createKey({ account: id, kind: 'restricted', mode: 'live', permissions: PERMISSIONS })
  const business = sim.business(id, { livemode: true })
  const from = Math.floor((Date.now() - MONTH_MS) / 1000)
  const spacing = MONTH_MS / 1000 / salesPerMonth
  for (let i = 0; i < salesPerMonth; i++)
    business.sale({ amount: 2_500, currency: 'usd', at: from + Math.floor((i + 0.5) * spacing) })
  return {
    id,
    key,
    // A payment's later events come a second after its first: dated so that all exist at the call.
    sell: () =>
      business.sale({ amount: 2_500, currency: 'usd', at: Math.floor(Date.now() / 1000) - 1 }).charge.id,
  }
}

/** Adds the account (its payments estimate reads pages at Stripe's rate, so the clock moves) and starts. */
export async function watch(cn: CashNotify, time: FakeTime, input: AddAccountInput): Promise<Account> {
  const adding = cn.addAccount(input)
  await time.tick(5_000)
  const account = await adding
  await cn.start()
  return account
}

/** The median of some numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}
