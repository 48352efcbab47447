/**
 * `new CashNotify({ cluster: redisCluster(…) })`: two instances in one test process, on one real
 * redis-server and one Stripe simulator over HTTP, watching the same six accounts. Real time (Redis
 * expires leases on its own clock), with a short lease TTL; every wait is bounded.
 */
import {
  CashNotify,
  type CashNotifyCluster,
  ConfigError,
  REQUIRED_PERMISSIONS,
  silentLogger,
} from '@cashnotify/core'
import { type RequestLogEntry, StripeSimulator } from '@cashnotify/stripe-simulator'
import { Keyv } from 'keyv'
import { afterEach, describe, expect, it } from 'vitest'
import { type RedisCluster, redisCluster } from '../src/cluster.js'
import { leaseLost } from '../src/errors.js'
import { quietLogger, sleep, useRedis } from './use-redis.js'

const redis = useRedis()
const LEASE_TTL_MS = 1500
const ACCOUNTS = 6
const SHARED_CAP = 2

const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

/** Resolves once `done()` holds, checking every 25 ms; fails after `timeoutMs`. */
async function until(what: string, done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}.`)
    await sleep(25)
  }
}

/** One process of the cluster: a CashNotify on its own `redisCluster()`, with its own key per account. */
function instance(
  name: string,
  prefix: string,
  stripe: { host: string; port: number },
  wrap: (cluster: RedisCluster) => CashNotifyCluster = (cluster) => cluster,
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

let prefixes = 0

/** Which instance sent each run of an account's requests since `since`, e.g. `a,b`. */
function runsOf(
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
function busiestSecond(log: readonly RequestLogEntry[], id: string, since: number): number {
  const times = log.filter((entry) => entry.account === id && entry.at >= since).map((entry) => entry.at)
  let most = 0
  for (let end = 0, start = 0; end < times.length; end++) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= 1000) start++
    most = Math.max(most, end - start + 1)
  }
  return most
}

/**
 * Instances a and b (a's cluster wrapped by `wrap`) watching the six shops: a starts alone and takes every
 * account, then b joins and takes half of them over; resolves once the releases are done.
 */
async function balancedPair(wrap?: (cluster: RedisCluster) => CashNotifyCluster) {
  const shop = await shops()
  const prefix = `cn${++prefixes}`
  const a = instance('a', prefix, shop.stripe, wrap)
  const b = instance('b', prefix, shop.stripe)
  for (const { keys } of shop.accounts) await a.cn.addAccount({ apiKey: keys.a })
  for (const { keys } of shop.accounts) await b.cn.addAccount({ apiKey: keys.b })
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

/** Creates a sale on every shop. */
function saleEverywhere(sim: StripeSimulator, accounts: ReadonlyArray<{ id: string }>, amount: number): void {
  for (const { id } of accounts) sim.business(id).sale({ amount, currency: 'usd' })
}

describe('new CashNotify({ cluster: redisCluster() })', () => {
  it('polls each account in one instance at a time, emits every sale once, and hands over on stop', async () => {
    const { sim, accounts, ownerOf, pollers, a, b, startedAt } = await balancedPair()
    const steadyFrom = Date.now()
    // A burst: four sales on every account at once, whose enrichment asks more than the shared cap allows.
    for (let i = 0; i < 4; i++) saleEverywhere(sim, accounts, 4900 + i)
    await until('both emitted the sales', () => a.sales.length + b.sales.length >= 4 * ACCOUNTS)
    await sleep(1200) // a poll more of each account: a second emission would show now
    const steady = pollers(steadyFrom)
    expect(steady.size).toBe(ACCOUNTS)
    for (const set of steady.values()) expect(set.size).toBe(1)
    const shareOf = (who: string): number => [...steady.values()].filter((set) => set.has(who)).length
    expect([shareOf('a'), shareOf('b')]).toEqual([3, 3])
    expect([a.sales.length, b.sales.length]).toEqual([12, 12])

    // a stops: its leases are released at once, and b polls its accounts within the lease time.
    const aHeld = accounts.filter(({ id }) => steady.get(id)?.has('a')).map(({ id }) => id)
    await a.cn.stop()
    const stoppedAt = Date.now()
    saleEverywhere(sim, accounts, 1500)
    await until('b emitted the new sales', () => a.sales.length + b.sales.length >= 5 * ACCOUNTS)
    await sleep(1200)
    const after = sim.requests.log.filter((entry) => entry.at >= stoppedAt)
    expect(after.filter((entry) => ownerOf(entry) === 'a')).toEqual([])
    for (const id of aHeld) {
      const first = after.find((entry) => entry.account === id && entry.endpoint === 'GET /v1/events')
      expect(first?.at).toBeLessThan(stoppedAt + LEASE_TTL_MS)
    }
    const all = [...a.sales, ...b.sales]
    expect(new Set(all).size).toBe(all.length)
    expect(all).toHaveLength(5 * ACCOUNTS)
    // Never two pollers at once: each account's requests run a's, then b's, and never back.
    for (const { id } of accounts)
      expect(['a', 'a,b']).toContain(runsOf(sim.requests.log, id, startedAt, ownerOf))
    // Every request went through the account's shared budget: never more than its cap in a window.
    for (const { id } of accounts)
      expect(busiestSecond(sim.requests.log, id, startedAt)).toBeLessThanOrEqual(SHARED_CAP)
    expect([...a.errors, ...b.errors]).toEqual([])
  }, 40_000)

  it('stops polling where its leases lapse (a frozen process), and the other takes over within the lease time', async () => {
    // a's cluster can be frozen: its rounds of leases hang, as in a process paused or dead, until thawed.
    let frozen = false
    let thaw = (): void => {}
    const thawed = new Promise<void>((resolve) => {
      thaw = resolve
    })
    const freezable = (cluster: RedisCluster): CashNotifyCluster =>
      Object.create(cluster, {
        assign: {
          value: (refs: readonly string[], yieldAccount: (ref: string) => Promise<void>) =>
            frozen
              ? thawed.then(() => cluster.assign(refs, yieldAccount))
              : cluster.assign(refs, yieldAccount),
        },
      }) as CashNotifyCluster
    const { sim, accounts, ownerOf, pollers, a, b, startedAt } = await balancedPair(freezable)
    cleanup.push(async () => thaw()) // runs first: a's stop waits for its round
    const aHeld = [...pollers(Date.now() - 1100)].filter(([, set]) => set.has('a')).map(([id]) => id)
    expect(aHeld).toHaveLength(3)
    frozen = true
    const frozenAt = Date.now()
    saleEverywhere(sim, accounts, 2500)
    await until('the sales were emitted', () => a.sales.length + b.sales.length >= ACCOUNTS)
    await until('b polled every account', () => pollers(frozenAt + LEASE_TTL_MS).size === ACCOUNTS)
    const after = sim.requests.log.filter((entry) => entry.at >= frozenAt)
    // a's last renewal was sent before it froze: none of its leases is trusted past a TTL from then.
    expect(after.filter((entry) => ownerOf(entry) === 'a' && entry.at > frozenAt + LEASE_TTL_MS)).toEqual([])
    for (const id of aHeld) {
      const first = after.find((entry) => entry.account === id && ownerOf(entry) === 'b')
      expect(first?.at).toBeLessThan(frozenAt + 2 * LEASE_TTL_MS)
    }
    const all = [...a.sales, ...b.sales]
    expect(new Set(all).size).toBe(ACCOUNTS)
    for (const { id } of accounts)
      expect(['a', 'a,b']).toContain(runsOf(sim.requests.log, id, startedAt, ownerOf))
    expect([...a.errors, ...b.errors]).toEqual([])
  }, 40_000)

  it('reports no error when a poll in flight as its lease lapsed has its write refused by fencing', async () => {
    // a's writes of one account are refused from a point on, and its lease on it reads as lapsed then:
    // what a frozen process sees when it wakes mid-poll after another process took the account over.
    const lapsed = new Set<string>()
    let refuse = false
    const fenced = (cluster: RedisCluster): CashNotifyCluster =>
      Object.create(cluster, {
        holds: { value: (ref: string, token: number) => !lapsed.has(ref) && cluster.holds(ref, token) },
        accountStore: {
          value: (ref: string, token: number) => {
            const store = cluster.accountStore(ref, token)
            return {
              get: (key: string) => store.get(key),
              delete: (key: string) => store.delete(key),
              set: async (key: string, value: unknown, ttl?: number) => {
                if (!refuse) return store.set(key, value, ttl)
                lapsed.add(ref)
                throw leaseLost(`account ${ref}`, token)
              },
            }
          },
        },
      }) as CashNotifyCluster
    const { sim, stripe, accounts } = await shops()
    const a = instance('a', `cn${++prefixes}`, stripe, fenced)
    const [shop] = accounts
    await a.cn.addAccount({ apiKey: shop?.keys.a ?? '' })
    await a.cn.start()
    await until('a polled once', () => sim.requests.log.some((entry) => entry.endpoint === 'GET /v1/events'))
    refuse = true
    sim.business(shop?.id ?? '').sale({ amount: 2500, currency: 'usd' })
    await until('the refused write', () => lapsed.size === 1)
    const refusedAt = Date.now()
    await sleep(2200) // two poll intervals: a skips the account now, and reports nothing
    expect(a.errors).toEqual([])
    const polled = sim.requests.log.filter(
      (entry) => entry.at > refusedAt && entry.endpoint === 'GET /v1/events',
    )
    expect(polled).toEqual([])
  }, 20_000)

  it('fails to start with the masked URL when Redis is unreachable, and polls nothing', async () => {
    const { sim, stripe, accounts } = await shops()
    const url = `redis://:hunter2@127.0.0.1:${redis.server().port + 1}`
    const cluster = redisCluster({
      url,
      prefix: `cn${++prefixes}`,
      connectTimeoutMs: 500,
      logger: quietLogger,
    })
    const cn = new CashNotify({ cluster, stripe: { ...stripe, protocol: 'http' }, logger: silentLogger })
    cleanup.push(() => cn.stop())
    await cn.addAccount({ apiKey: accounts[0]?.keys.a ?? '' })
    const startedAt = Date.now() // the key check of addAccount reads events too
    const error = await cn.start().then(
      () => undefined,
      (thrown: unknown) => thrown,
    )
    expect(error).toMatchObject({ name: 'RedisClusterError', reason: 'redis_unavailable' })
    expect((error as Error).message).toContain('redis://:…@127.0.0.1')
    expect((error as Error).message).not.toContain('hunter2')
    await sleep(200)
    expect(sim.requests.log.filter((entry) => entry.at >= startedAt)).toEqual([])
  })

  it('refuses a store beside the cluster, which brings its own', () => {
    const cluster = redisCluster({ url: redis.server().url, prefix: `cn${++prefixes}`, logger: quietLogger })
    expect(() => new CashNotify({ cluster, store: new Keyv() })).toThrow(ConfigError)
  })
})
