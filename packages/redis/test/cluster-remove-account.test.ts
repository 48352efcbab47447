/**
 * `cn.removeAccount()` in clustered mode: the account's state (cursor, ids emitted, payments held) is the
 * cluster's, which every process watching the account goes on from. Removing it from one process stops
 * watching it there only; `deleteSharedState` deletes the shared state too. Real time, short leases.
 */

import type { CashNotifyCluster } from '@cashnotify/core'
import { afterEach, describe, expect, it } from 'vitest'
import type { RedisCluster } from '../src/cluster.js'
import { until } from './cluster-harness.js'
import { clusterInstance, clusterShops, type InstanceOptions } from './recording-cluster.js'
import { sleep, useRedis } from './use-redis.js'

const redis = useRedis()
const LEASE_TTL_MS = 1500

const cleanup: Array<() => Promise<void>> = []
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step()
})

let prefixes = 0

/** An instance of the cluster `prefix`, stopped after the test. */
function instance(
  name: string,
  prefix: string,
  stripe: { host: string; port: number },
  options: Pick<InstanceOptions, 'wrap' | 'leaseTtlMs'> = { leaseTtlMs: LEASE_TTL_MS },
) {
  const made = clusterInstance(name, { url: redis.server().url, prefix, stripe, ...options })
  cleanup.push(() => made.cn.close())
  return made
}

describe('cn.removeAccount() in clustered mode', () => {
  it('stops watching the account in that process only: another takes it over from the shared state, re-emitting nothing', async () => {
    const shop = await clusterShops(1, cleanup)
    const [account] = shop.accounts
    if (!account) throw new Error('No shop.')
    const prefix = `remove${++prefixes}`
    const a = instance('a', prefix, shop.stripe)
    const b = instance('b', prefix, shop.stripe)
    const added = await a.cn.addAccount({ apiKey: account.keys.a })
    await b.cn.addAccount({ apiKey: account.keys.b })
    const startedAt = Date.now()
    await a.cn.start() // alone, a takes the account
    await until('a polled', () => shop.polledWith(account.keys.a, startedAt))
    await b.cn.start()
    shop.sell(1900)
    await until('a emitted the sale', () => a.sales.length === 1)

    await a.cn.removeAccount(added.ref)
    const removedAt = Date.now()
    await until('b took the account over', () => shop.polledWith(account.keys.b, removedAt), 2 * LEASE_TTL_MS)
    shop.sell(2900)
    await until('b emitted the new sale', () => b.sales.length === 1)
    await sleep(1200) // a poll more: a second emission would show now

    // b went on from a's cursor and seen ids: no backfill, nothing of a's emitted again.
    expect(b.events.filter((event) => event.backfill)).toEqual([])
    const seenByA = new Set(a.events.map((event) => event.id))
    expect(b.events.filter((event) => seenByA.has(event.id))).toEqual([])
    expect(new Set([...a.sales, ...b.sales]).size).toBe(2)
    expect(a.cn.accounts()).toEqual([])
    expect([...a.errors, ...b.errors]).toEqual([])
  }, 30_000)

  it('resumes an account removed and added back where it stopped, and starts it anew once removed with deleteSharedState', async () => {
    const shop = await clusterShops(1, cleanup)
    const [account] = shop.accounts
    if (!account) throw new Error('No shop.')
    // Its rounds of leases can be held, so that the account is added back while its lease is still held.
    let held: Promise<void> = Promise.resolve()
    let resume = (): void => {}
    const holdable = (cluster: RedisCluster): CashNotifyCluster =>
      Object.create(cluster, {
        assign: {
          value: (refs: readonly string[], yieldAccount: (ref: string) => Promise<void>) =>
            held.then(() => cluster.assign([...refs], yieldAccount)),
        },
      }) as CashNotifyCluster
    const a = instance('a', `remove${++prefixes}`, shop.stripe, { wrap: holdable, leaseTtlMs: 6000 })
    const first = await a.cn.addAccount({ apiKey: account.keys.a })
    await a.cn.start()
    shop.sell(1900)
    await until('the sale was emitted', () => a.sales.length === 1)
    const backfilled = (): number => a.events.filter((event) => event.backfill).length
    expect(backfilled()).toBe(0) // the shop had no events before it was added

    // Removed and added back before a round of leases (the lease on it still held here): polled again
    // by a new pipeline, from where it was.
    held = new Promise((resolve) => {
      resume = resolve
    })
    await sleep(100) // a round in flight is done
    await a.cn.removeAccount(first.ref)
    const again = await a.cn.addAccount({ apiKey: account.keys.a })
    resume()
    shop.sell(2900)
    await until('the next sale was emitted', () => a.sales.length === 2)
    await sleep(1200)
    expect(backfilled()).toBe(0)
    expect(new Set(a.sales).size).toBe(2)

    // Removed with its shared state: added back, it is a new account, whose first poll is a backfill.
    await a.cn.removeAccount(again.ref, { deleteSharedState: true })
    await a.cn.addAccount({ apiKey: account.keys.a })
    await until('the backfill', () => backfilled() > 0)
    const seen = new Set(a.events.filter((event) => !event.backfill).map((event) => event.id))
    expect(a.events.filter((event) => event.backfill).every((event) => seen.has(event.id))).toBe(true)
    expect(a.errors).toEqual([])
  }, 30_000)
})
