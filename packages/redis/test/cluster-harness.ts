/**
 * Two or more CashNotify instances in one test process, each on its own `redisCluster()`, on one real
 * redis-server and one Stripe simulator over HTTP, watching the same six accounts. Real time (Redis
 * expires leases on its own clock), with a short lease TTL; every wait is bounded.
 */
import {
  CashNotify,
  type CashNotifyCluster,
  type CashNotifyOptions,
  REQUIRED_PERMISSIONS,
  silentLogger,
} from '@cashnotify/core'
import { type RequestLogEntry, StripeSimulator } from '@cashnotify/stripe-simulator'
import { afterEach, expect } from 'vitest'
import { type RedisCluster, redisCluster } from '../src/cluster.js'
import { quietLogger, sleep, type UseRedis, useRedis } from './use-redis.js'

export const LEASE_TTL_MS = 1500
export const ACCOUNTS = 6
export const SHARED_CAP = 2

/** Resolves once `done()` holds, checking every 25 ms; fails after `timeoutMs`. */
export async function until(what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}.`)
    await sleep(25)
  }
}

/** Which instance sent each run of an account's requests since `since`, e.g. `a,b`. */
export function runsOf(
  log: readonly RequestLogEntry[],
  id: string,
  since: number,
  ownerOf: (e: RequestLogEntry) => string | undefined,
): string {
  const runs: string[] = []
  for (const entry of log)
    if (entry.account === id && entry.at >= since && runs.at(-1) !== ownerOf(entry))
      runs.push(ownerOf(entry) ?? '?')
  return runs.join(',')
}

/** The most requests of one account in any 1000 ms from `since` (the budget's windows are 1.1 s). */
export function busiestSecond(log: readonly RequestLogEntry[], id: string, since: number): number {
  const times = log.filter((entry) => entry.account === id && entry.at >= since).map((entry) => entry.at)
  let most = 0
  for (let end = 0, start = 0; end < times.length; end++) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= 1000) start++
    most = Math.max(most, end - start + 1)
  }
  return most
}

/** Creates a sale on every shop. */
export function saleEverywhere(
  sim: StripeSimulator,
  accounts: ReadonlyArray<{ id: string }>,
  amount: number,
): void {
  for (const { id } of accounts) sim.business(id).sale({ amount, currency: 'usd' })
}

/** A redis-server for the file, and instances, shops and pairs that are stopped after each test. */
export function useCluster() {
  const redis: UseRedis = useRedis()
  const cleanup: Array<() => Promise<void>> = []
  let prefixes = 0
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })
  /** A key prefix no other test uses: its own cluster. */
  const nextPrefix = (): string => `cn${++prefixes}`

  /** One process of the cluster: a CashNotify on its own `redisCluster()`, with its own key per account. */
  function instance(
    name: string,
    prefix: string,
    stripe: { host: string; port: number },
    wrap: (cluster: RedisCluster) => CashNotifyCluster = (cluster) => cluster,
    extra: Partial<CashNotifyOptions> = {},
  ) {
    const cluster = redisCluster({
      url: redis.server().url,
      prefix,
      processId: name,
      leaseTtlMs: LEASE_TTL_MS,
      // The cluster's budget is the tighter one: each process's own would let five times more through.
      budget: { testPerSecond: SHARED_CAP },
      logger: quietLogger,
    })
    const cn = new CashNotify({
      cluster: wrap(cluster),
      stripe: { ...stripe, protocol: 'http' },
      pollInterval: 1000,
      random: () => 0.5,
      retry: { retries: 0 },
      budget: { startFull: false, testPerSecond: 5 * SHARED_CAP },
      readAllocation: { monthly: 1_000_000_000 },
      logger: silentLogger,
      ...extra,
    })
    const sales: string[] = []
    const errors: Error[] = []
    cn.on('sale', (sale) => void sales.push(sale.id))
    cn.on('error', (error) => void errors.push(error))
    cleanup.push(() => cn.stop())
    return { name, cn, sales, errors }
  }

  /** Six test-mode shops on a simulator served over HTTP, each with one restricted key per instance. */
  async function shops() {
    const sim = new StripeSimulator({ seed: 14 })
    const server = await sim.listen()
    cleanup.push(() => server.close())
    const accounts = Array.from({ length: ACCOUNTS }, (_, i) => {
      const id = sim.createAccount({ businessName: `Shop ${i}` }).id
      const key = (): string =>
        sim.createKey({ account: id, kind: 'restricted', mode: 'test', permissions: REQUIRED_PERMISSIONS })
      return { id, keys: { a: key(), b: key() } }
    })
    // The log masks keys but for their last 4 characters: which instance sent a request is told by them.
    const owners = new Map(
      accounts.flatMap(({ keys }) => [[keys.a.slice(-4), 'a'] as const, [keys.b.slice(-4), 'b'] as const]),
    )
    expect(owners.size).toBe(2 * ACCOUNTS)
    const ownerOf = (entry: RequestLogEntry): string | undefined => owners.get(entry.key?.slice(-4) ?? '')
    /** Which instances polled each account (GET /v1/events) from `since` on. */
    const pollers = (since: number): Map<string, Set<string>> => {
      const found = new Map<string, Set<string>>()
      for (const entry of sim.requests.log) {
        if (entry.at < since || entry.endpoint !== 'GET /v1/events' || entry.account === null) continue
        const set = found.get(entry.account) ?? new Set()
        set.add(ownerOf(entry) ?? '?')
        found.set(entry.account, set)
      }
      return found
    }
    return { sim, stripe: { host: server.host, port: server.port }, accounts, ownerOf, pollers }
  }

  /**
   * Instances a and b (a's cluster wrapped by `wrap`) watching the six shops: a starts alone and takes every
   * account, then b joins and takes half of them over; resolves once the releases are done.
   */
  async function balancedPair(
    wrap?: (cluster: RedisCluster) => CashNotifyCluster,
    extra: Partial<CashNotifyOptions> = {},
  ) {
    const shop = await shops()
    const prefix = nextPrefix()
    const a = instance('a', prefix, shop.stripe, wrap, extra)
    const b = instance('b', prefix, shop.stripe, undefined, extra)
    // Side by side: each key check waits for its account's shared budget, which other accounts do not share.
    await Promise.all(shop.accounts.map(({ keys }) => a.cn.addAccount({ apiKey: keys.a })))
    await Promise.all(shop.accounts.map(({ keys }) => b.cn.addAccount({ apiKey: keys.b })))
    const startedAt = Date.now()
    await a.cn.start()
    await until('a polled every account', () => shop.pollers(startedAt).size === ACCOUNTS)
    const joinedAt = Date.now()
    await b.cn.start()
    const bShare = (): number => [...shop.pollers(joinedAt).values()].filter((set) => set.has('b')).length
    await until('b polled its share', () => bShare() === ACCOUNTS / 2)
    await sleep(LEASE_TTL_MS) // from here on, each account has one poller
    return { ...shop, a, b, startedAt }
  }

  return { redis, cleanup, nextPrefix, instance, shops, balancedPair }
}
