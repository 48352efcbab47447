/**
 * Clustered mode under SIGKILL: three `cashnotify watch` processes on one real redis-server share 30
 * test-mode accounts of the simulator (served over HTTP) while shops sell, and every few seconds one of
 * them, in turn, is killed with SIGKILL and started again under the same process id. Every sale must
 * reach the webhook receiver, a repeat only with the same `webhook-id`; the request log must never show
 * two processes polling one account at once, nor an account over its budget in any second.
 * `CLUSTER_SOAK_MS=300000 npx vitest run --project cli test/cluster-soak.test.ts` runs the long version.
 */

import { type RedisServer, startRedisServer } from '@cashnotify/redis/testing'
import { StripeSimulator } from '@cashnotify/stripe-simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { busiestSecond, overlapsOf, pollsByAccount, runsOf } from './support/cluster-soak-log.js'
import {
  type ClusterMember,
  type ClusterSetup,
  clusterMember,
  createShops,
  type Receiver,
  type Shops,
  startReceiver,
} from './support/cluster-soak-parts.js'
import { tempDir, waitFor } from './support/harness.js'

const SOAK_MS = Number(process.env.CLUSTER_SOAK_MS ?? 60_000)
const ACCOUNTS = 30
const PROCESSES = ['p1', 'p2', 'p3'] as const
/** Short, so that a killed process's accounts are taken over within the run, many times. */
const LEASE_TTL_MS = 2500
/** Every account's shared budget in test mode: the config sets none, so it is core's default. */
const TEST_CAP = 20
const SECRET = `whsec_${Buffer.from('cluster-soak-secret-0123456789').toString('base64')}`

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))

let sim: StripeSimulator
let stripe: { url: string; close(): Promise<void> }
let redis: RedisServer
let hooks: Receiver
let dir: ReturnType<typeof tempDir>
const members: ClusterMember[] = []

beforeAll(async () => {
  // Stripe's own limits, enforced: a request over them is a 429 the test sees.
  sim = new StripeSimulator({ seed: 41 })
  stripe = await sim.listen()
  redis = await startRedisServer()
  hooks = await startReceiver(SECRET)
  dir = tempDir()
})
afterAll(async () => {
  // A failed run must not leave its processes behind.
  const started = members.filter((member) => member.lives.length > 0)
  for (const member of started) member.current().kill()
  await Promise.all(started.map((member) => member.current().exited))
  await stripe.close()
  await hooks.close()
  await redis.stop()
  dir.remove()
})

/** Three members on `ACCOUNTS` new shops, under `prefix`: their own cluster on the shared Redis. */
function cluster(prefix: string): { shops: Shops; members: ClusterMember[] } {
  const shops = createShops(sim, ACCOUNTS, PROCESSES)
  const setup: ClusterSetup = {
    dir: dir.path,
    shops,
    stripeUrl: stripe.url,
    hookUrl: hooks.url,
    hookSecret: SECRET,
    redisUrl: redis.url,
    prefix,
    leaseTtlMs: LEASE_TTL_MS,
  }
  const made = PROCESSES.map((processId) => clusterMember(setup, processId))
  members.push(...made)
  return { shops, members: made }
}

/** Sells on every shop in turn, one sale every 100 ms, until `selling()` says stop: payment intent → shop. */
async function sell(shops: Shops, selling: () => boolean): Promise<Map<string, string>> {
  const sold = new Map<string, string>()
  const businesses = shops.list.map((shop) => ({ id: shop.id, business: sim.business(shop.id) }))
  for (let n = 0; selling(); n++) {
    const shop = businesses[n % businesses.length]
    if (shop) sold.set(shop.business.sale({ amount: 1_000 + n, currency: 'usd' }).paymentIntent.id, shop.id)
    await pause(100)
  }
  return sold
}

/** The most requests any of `shops` sent in one second from `since` on. */
function busiestOf(shops: Shops, since: number): number {
  return Math.max(...shops.list.map((shop) => busiestSecond(sim.requests.log, shop.id, since)))
}

/** Requests of `shops` answered 429 from `since` on. */
function rateLimitedOf(shops: Shops, since: number): number {
  const ids = new Set(shops.list.map((shop) => shop.id))
  return sim.requests.log.filter((e) => e.at >= since && e.status === 429 && ids.has(e.account ?? '')).length
}

describe('three cashnotify watch on one Redis, one of them SIGKILLed every few seconds', () => {
  it(
    `notifies every sale, never polls an account twice at once and keeps every budget (${SOAK_MS} ms)`,
    async () => {
      const { shops, members: trio } = cluster('soak')
      const lives = () => trio.flatMap((member) => member.lives)
      const startedAt = Date.now()
      // One process at a time, each in the cluster before the next starts. (Started at once, the two probes
      // of each key check that find its account run on the process's own budget, the rest on the shared
      // one: cashnotify-cluster.test.ts bounds that case. This soak is about kills.)
      for (const member of trio) {
        member.start()
        await member.watching()
      }
      // Sales from the moment every account was polled once: what came before is history, not news.
      const polled = () => pollsByAccount(sim.requests.log, shops.ownerOf, lives(), startedAt)
      await waitFor(() => polled().size === ACCOUNTS, 'every account polled once', 30_000)

      let selling = true
      const sales = sell(shops, () => selling)
      const soakStart = Date.now()
      const kills: string[] = []
      for (let k = 0; Date.now() - soakStart < SOAK_MS; k++) {
        // Every 3 to 5 s, in a fixed order: p1, p2, p3, p1 … One process down at a time: the one killed
        // last is back in the cluster first (on a loaded machine its start-up can outlast the pause).
        const due = Date.now() + 3_000 + ((k * 1_231) % 2_000)
        await trio[(k + trio.length - 1) % trio.length]?.watching()
        await pause(due - Date.now())
        const victim = trio[k % trio.length]
        if (!victim) break
        kills.push(victim.processId)
        await victim.kill()
        await pause(400)
        victim.start()
      }
      selling = false
      const sold = await sales

      // Settling: every process up again, every sale delivered; then a clean stop of each.
      await Promise.all(trio.map((member) => member.watching()))
      const delivered = () => new Set(hooks.deliveries.map((d) => d.paymentIntent))
      await waitFor(() => [...sold.keys()].every((pi) => delivered().has(pi)), 'every sale delivered', 90_000)
      await pause(1_500) // a poll more of every account, to end on each process's share
      const endedAt = Date.now()
      expect(await Promise.all(trio.map((member) => member.stop()))).toEqual([0, 0, 0])

      // Every sale notified, only sales that happened, each on its shop's account; the signatures held.
      expect(hooks.refused).toEqual([])
      const saleDeliveries = hooks.deliveries.filter((d) => d.type === 'sale')
      expect(new Set(saleDeliveries.map((d) => d.paymentIntent))).toEqual(new Set(sold.keys()))
      expect(saleDeliveries.filter((d) => sold.get(d.paymentIntent ?? '') !== d.account)).toEqual([])
      // A repeat is a retry: the same webhook id as the sale's first delivery, whichever process sent it.
      const idsOf = new Map<string, Set<string>>()
      for (const d of saleDeliveries)
        idsOf.set(d.paymentIntent ?? '', (idsOf.get(d.paymentIntent ?? '') ?? new Set()).add(d.webhookId))
      expect([...idsOf].filter(([, ids]) => ids.size !== 1)).toEqual([])

      // Never two pollers of one account at once, through every handover.
      const polls = pollsByAccount(sim.requests.log, shops.ownerOf, lives(), startedAt)
      expect(polls.size).toBe(ACCOUNTS)
      expect([...polls.values()].flat().filter((poll) => poll.owner === '?')).toEqual([])
      const overlaps = [...polls].flatMap(([account, list]) =>
        overlapsOf(list, LEASE_TTL_MS).map((overlap) => ({ account, ...overlap })),
      )
      expect(overlaps).toEqual([])
      // The kills did move accounts: each hands its victim's share over, and its restart takes some back.
      expect(new Set(kills)).toEqual(new Set(PROCESSES))
      const handovers = [...polls.values()].reduce((sum, list) => sum + runsOf(list).length - 1, 0)
      expect(handovers).toBeGreaterThanOrEqual(2 * kills.length)
      // Each process polls its share at the end: the last restart was given accounts again.
      const lastSecond = [...polls.values()].flat().filter((poll) => poll.at > endedAt - 1_200)
      expect(new Set(lastSecond.map((poll) => poll.owner))).toEqual(new Set(PROCESSES))

      // Within every account's budget in every second, restarts' key checks included; none over Stripe's.
      expect(busiestOf(shops, startedAt)).toBeLessThanOrEqual(TEST_CAP)
      expect(rateLimitedOf(shops, startedAt)).toBe(0)
    },
    SOAK_MS + 300_000,
  )
})
