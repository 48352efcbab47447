/**
 * Clustered mode when Redis is lost mid-run: two CashNotify instances on one password-protected
 * redis-server and the Stripe simulator over HTTP. The server is killed (SIGKILL) for longer than the
 * lease TTL, then started again on the same port and directory: its AOF (appendonly, fsync every second,
 * as production is asked to run) brings back what it had. Real time, with a short lease TTL (Redis
 * expires leases on its own clock); every wait is bounded.
 */

import type { CashNotifyCluster, KeyValueStore } from '@cashnotify/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { RedisCluster } from '../src/cluster.js'
import { until } from './cluster-harness.js'
import { clusterInstance, clusterShops, type InstanceOptions, textOf } from './recording-cluster.js'
import { sleep, useRedis } from './use-redis.js'

const PASSWORD = 'l0st p@ss-w0rd'
const redis = useRedis({ password: PASSWORD })
const LEASE_TTL_MS = 1500
const ACCOUNTS = 4

const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
  // A test that failed while Redis was down must not leave the next one without it.
  if (!redis.server().running) await redis.server().resume()
})

let prefixes = 0

/** An instance of the cluster `prefix`, stopped (and its notifiers closed) after the test. */
function instance(
  name: string,
  prefix: string,
  stripe: { host: string; port: number },
  options: Pick<InstanceOptions, 'notify' | 'wrap'> = {},
) {
  const made = clusterInstance(name, {
    url: redis.server().url,
    prefix,
    stripe,
    leaseTtlMs: LEASE_TTL_MS,
    ...options,
  })
  cleanup.push(() => made.cn.close())
  return made
}

/** Neither form of the password (as given, as the URL carries it) is anywhere in `text`. */
function expectNoPassword(text: string): void {
  expect(text).not.toContain(PASSWORD)
  expect(text).not.toContain(encodeURIComponent(PASSWORD))
}

describe('clustered mode when Redis is lost mid-run', () => {
  it('pauses polling, trusts no lease, reports the loss once per process, and emits and delivers what was sold meanwhile once Redis is back', async () => {
    const shop = await clusterShops(ACCOUNTS, cleanup)
    const prefix = `lost${++prefixes}`
    const a = instance('a', prefix, shop.stripe)
    const b = instance('b', prefix, shop.stripe)
    const both = [a, b]
    // Side by side: each key check waits for its account's shared budget, which other accounts do not share.
    await Promise.all(shop.accounts.map(({ keys }) => a.cn.addAccount({ apiKey: keys.a })))
    await Promise.all(shop.accounts.map(({ keys }) => b.cn.addAccount({ apiKey: keys.b })))
    const startedAt = Date.now()
    await a.cn.start()
    await b.cn.start()
    const sold = (): number => a.sales.length + b.sales.length
    const delivered = (): number => a.notified.length + b.notified.length
    await until(
      'every account was polled',
      () => new Set(shop.polls(startedAt).map((e) => e.account)).size === ACCOUNTS,
    )
    shop.sell(1900)
    await until(
      'the first sales were emitted and delivered',
      () => sold() === ACCOUNTS && delivered() === ACCOUNTS,
    )
    await sleep(1100) // what the last polls wrote is fsynced to the AOF within a second

    const server = redis.server()
    await server.pause('SIGKILL')
    const lostAt = Date.now()
    shop.sell(2900)
    await sleep(2 * LEASE_TTL_MS + 500)
    // Past the lease TTL no process polls: without Redis no lease is trusted (nor any poll recorded).
    expect(shop.polls(lostAt + LEASE_TTL_MS)).toEqual([])
    expect(sold()).toBe(ACCOUNTS)
    await server.resume()
    const backAt = Date.now()

    await until(
      'the sales made meanwhile were emitted and delivered',
      () => sold() === 2 * ACCOUNTS && delivered() === 2 * ACCOUNTS,
    )
    // Polling resumed within a lease TTL of Redis's return: every account, by one process or the other.
    const firstPolls = new Map<string | null, number>()
    for (const entry of shop.polls(backAt))
      if (!firstPolls.has(entry.account)) firstPolls.set(entry.account, entry.at)
    expect(firstPolls.size).toBe(ACCOUNTS)
    for (const at of firstPolls.values()) expect(at - backAt).toBeLessThan(LEASE_TTL_MS)
    await sleep(1200) // a poll more of each account: a second emission would show now

    // Each sale once across the two processes, and its notification delivered once.
    const sales = [...a.sales, ...b.sales]
    expect(sales).toHaveLength(2 * ACCOUNTS)
    expect(new Set(sales).size).toBe(2 * ACCOUNTS)
    const notified = [...a.notified, ...b.notified].map((notification) => notification.event.id)
    expect(notified.sort()).toEqual([...sales].sort())

    for (const process of both) {
      // One report of the loss per process, naming Redis by its masked URL; no account changed status.
      expect(process.errors.map((error) => error.name)).toEqual(['RedisClusterError'])
      expect(process.errors[0]?.message).toContain(
        `Could not reach Redis at redis://:…@127.0.0.1:${server.port}`,
      )
      expect(process.statuses).toEqual([])
      // Each of the process's own connections says once that it lost Redis, and once that it is back.
      const said = (what: string): string[] =>
        process.logs.filter((line) => line.includes(`] ${what} redis://:…@127.0.0.1:${server.port}`))
      expect(
        said('Lost')
          .map((line) => /\((cashnotify:[^)]+)\)/.exec(line)?.[1])
          .sort(),
      ).toEqual([`cashnotify:${process.name}`, `cashnotify:${process.name}:queues`])
      expect(said('Reconnected to')).toHaveLength(2)
    }
    expectNoPassword(textOf(both.map((p) => [p.errors, p.logs, p.statuses, p.notified])))
  }, 60_000)

  it('fails a Stripe call whose shared budget cannot reach Redis as a Redis failure, not a Stripe one', async () => {
    const shop = await clusterShops(1, cleanup)
    // No notifier: this test is about the budget, and delivery's own stop is not.
    const a = instance('a', `lost${++prefixes}`, shop.stripe, { notify: false })
    const [account] = shop.accounts
    const added = await a.cn.addAccount({ apiKey: account?.keys.a ?? '' })
    const startedAt = Date.now()
    await a.cn.start()
    // Once polled here, the account's calls to Stripe go through its budget in Redis.
    await until('the account was polled', () => shop.polls(startedAt).length > 0)
    await redis.server().pause('SIGKILL')
    const error = await a.cn.refreshMetadata(added.ref).then(
      () => undefined,
      (thrown: unknown) => thrown,
    )
    await redis.server().resume()
    expect(error).toMatchObject({ name: 'RedisClusterError', reason: 'redis_unavailable', retryable: true })
    const message = (error as Error).message
    expect(message).toContain(`Could not reach Redis at redis://:…@127.0.0.1:${redis.server().port}`)
    expect(message).not.toContain('Stripe')
    expectNoPassword(textOf(error))
  }, 30_000)

  it('keeps renewing its leases while a won account loads its state slowly (the store just back), so none lapses', async () => {
    const shop = await clusterShops(1, cleanup)
    // The leased store's reads answer only after twice the lease TTL, for a while: a store reconnecting.
    const slowUntil = Date.now() + 2 * LEASE_TTL_MS
    const slow = (cluster: RedisCluster): CashNotifyCluster =>
      Object.create(cluster, {
        accountStore: {
          value: (ref: string, token: number): KeyValueStore => {
            const store = cluster.accountStore(ref, token)
            return {
              get: async (key) => {
                await sleep(slowUntil - Date.now())
                return store.get(key)
              },
              set: (key, value, ttl) => store.set(key, value, ttl),
              delete: (key) => store.delete(key),
            }
          },
        },
      }) as CashNotifyCluster
    const a = instance('a', `lost${++prefixes}`, shop.stripe, { notify: false, wrap: slow })
    const [account] = shop.accounts
    const added = await a.cn.addAccount({ apiKey: account?.keys.a ?? '' })
    const startedAt = Date.now()
    await a.cn.start()
    await until('the account was polled', () => shop.polls(startedAt).length > 0)
    // The lease first claimed is still the one held: it never lapsed while the state loaded.
    expect(await a.cluster.leases.holderOf(added.ref)).toMatchObject({ holder: 'a', token: 1 })
    expect(a.errors).toEqual([])
  }, 30_000)
})
