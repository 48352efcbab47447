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
import { Keyv } from 'keyv'
import { describe, expect, it } from 'vitest'
import { type RedisCluster, redisCluster } from '../src/cluster.js'
import { leaseLost } from '../src/errors.js'
import {
  ACCOUNTS,
  busiestSecond,
  LEASE_TTL_MS,
  runsOf,
  SHARED_CAP,
  saleEverywhere,
  until,
  useCluster,
} from './cluster-harness.js'
import { quietLogger, sleep } from './use-redis.js'

const { redis, cleanup, nextPrefix, instance, shops, balancedPair } = useCluster()

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
      // When it is due, not at once: a's last poll and b's first are an interval apart, as a's would be.
      const lastOfA = sim.requests.log.filter(
        (entry) => entry.account === id && entry.endpoint === 'GET /v1/events' && ownerOf(entry) === 'a',
      )
      expect((first?.at ?? 0) - (lastOfA.at(-1)?.at ?? 0)).toBeGreaterThanOrEqual(900)
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
    // Polls only: what a pollers' overlap would be. The message shows the account's requests if it fails.
    const polls = sim.requests.log.filter((entry) => entry.endpoint === 'GET /v1/events')
    for (const { id } of accounts) {
      const seen = sim.requests.log
        .filter((entry) => entry.account === id && entry.at >= startedAt)
        .map((entry) => `${entry.at - startedAt} ${ownerOf(entry)} ${entry.endpoint} ${entry.status}`)
      expect(['a', 'a,b'], seen.join('; ')).toContain(runsOf(polls, id, startedAt, ownerOf))
    }
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
    const a = instance('a', nextPrefix(), stripe, fenced)
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

  it("checks the keys of processes that start at once through the account's shared budget", async () => {
    const { sim, stripe, accounts } = await shops()
    const [shop] = accounts
    const id = shop?.id ?? ''
    const prefix = nextPrefix()
    const third = sim.createKey({
      account: id,
      kind: 'restricted',
      mode: 'test',
      permissions: REQUIRED_PERMISSIONS,
    })
    const keys = [shop?.keys.a ?? '', shop?.keys.b ?? '', third]
    const trio = ['a', 'b', 'c'].map((name) => instance(name, prefix, stripe))
    const since = Date.now()
    const added = await Promise.all(trio.map(({ cn }, i) => cn.addAccount({ apiKey: keys[i] ?? '' })))
    expect(added.map((account) => account.status)).toEqual(['active', 'active', 'active'])
    // Two probes each find the account (on the process's own budget); the other seven of each share one.
    expect(busiestSecond(sim.requests.log, id, since)).toBeLessThanOrEqual(2 * trio.length + SHARED_CAP)
    expect(sim.requests.log.filter((entry) => entry.at >= since && entry.status === 429)).toEqual([])
  }, 30_000)

  it('fails to start with the masked URL when Redis is unreachable, and polls nothing', async () => {
    const { sim, stripe, accounts } = await shops()
    const url = `redis://:hunter2@127.0.0.1:${redis.server().port + 1}`
    const cluster = redisCluster({
      url,
      prefix: nextPrefix(),
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

  it('refuses a webhook secret before any Stripe call: a push could reach a process that does not poll it', async () => {
    const { sim, stripe, accounts } = await shops()
    const a = instance('a', nextPrefix(), stripe)
    const before = sim.requests.log.length
    const adding = a.cn.addAccount({
      apiKey: accounts[0]?.keys.a ?? '',
      webhookSecret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    })
    await expect(adding).rejects.toThrow(ConfigError)
    await expect(adding).rejects.toThrow('Clustered mode does not take `webhookSecret`')
    expect(sim.requests.log.length).toBe(before)
  })

  it('refuses a store beside the cluster, which brings its own', () => {
    const cluster = redisCluster({ url: redis.server().url, prefix: nextPrefix(), logger: quietLogger })
    expect(() => new CashNotify({ cluster, store: new Keyv() })).toThrow(ConfigError)
  })
})
