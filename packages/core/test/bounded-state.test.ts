import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { Delivery } from '../src/delivery/index.js'
import { Enricher } from '../src/enrich/enricher.js'
import type { StripeLookups } from '../src/enrich/lookups.js'
import { type KeyValueStore, silentLogger } from '../src/index.js'
import { ExpiringIds, SEGMENT_IDS } from '../src/shared/expiring-ids.js'
import { RETENTION, STORE_KEYS } from '../src/shared/store.js'
import { sampleAccount, sampleEvent } from '../src/testing/index.js'
import { advance, business, charges, fakeTimeSimulator, START, watcher } from './polling-helpers.js'

const DAY = 24 * 3600 * 1000

/** A store over a Map, so a test can see every key it holds, and count writes. */
function mapStore(): KeyValueStore & { map: Map<string, unknown>; writes: number; largest: number } {
  const map = new Map<string, unknown>()
  const store = {
    map,
    writes: 0,
    /** The most ids one write held. */
    largest: 0,
    get: async (key: string) => structuredClone(map.get(key)),
    set: async (key: string, value: unknown) => {
      store.writes++
      if (Array.isArray(value)) store.largest = Math.max(store.largest, value.length)
      map.set(key, structuredClone(value))
      return true
    },
    delete: async (key: string) => map.delete(key),
  }
  return store
}

beforeEach(() => {
  vi.useFakeTimers({ now: START })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('ExpiringIds', () => {
  it('keeps a bounded number of buckets over a long run and deletes expired ones from the store', async () => {
    const store = mapStore()
    const ids = new ExpiringIds(store, { key: 'ids', retentionMs: 7 * DAY, bucketMs: DAY, now: Date.now })
    await ids.load()
    ids.add(['first'])
    await ids.flush()
    for (let day = 1; day <= 40; day++) {
      vi.setSystemTime(START + day * DAY)
      ids.add([`id-${day}`])
      await ids.flush()
    }
    expect(ids.bucketCount).toBeLessThanOrEqual(8)
    expect(ids.has('first')).toBe(false)
    expect(ids.has('id-40')).toBe(true)
    expect(store.map.size).toBeLessThanOrEqual(9) // the index and at most 8 buckets
    const reloaded = new ExpiringIds(store, {
      key: 'ids',
      retentionMs: 7 * DAY,
      bucketMs: DAY,
      now: Date.now,
    })
    await reloaded.load()
    expect(reloaded.has('id-40') && reloaded.has('id-34') && !reloaded.has('id-30')).toBe(true)
  })

  it('writes nothing when nothing was added, and only the bucket that changed', async () => {
    const store = mapStore()
    const ids = new ExpiringIds(store, { key: 'ids', retentionMs: 35 * DAY, bucketMs: DAY, now: Date.now })
    await ids.load()
    for (let day = 0; day < 30; day++) {
      vi.setSystemTime(START + day * DAY)
      ids.add(Array.from({ length: 100 }, (_, i) => `d${day}-${i}`))
      await ids.flush()
    }
    const before = store.writes
    await ids.flush()
    expect(store.writes).toBe(before)
    ids.add(['one-more'])
    await ids.flush()
    expect(store.writes).toBe(before + 1)
  })
})

describe('ExpiringIds in a busy bucket', () => {
  it('writes at most one segment per flush however many ids the bucket holds, and reloads them all', async () => {
    const store = mapStore()
    const options = { key: 'ids', retentionMs: 7 * DAY, bucketMs: DAY, now: Date.now }
    const ids = new ExpiringIds(store, options)
    await ids.load()
    for (let i = 0; i < 5_000; i++) {
      ids.add([`id-${i}`])
      await ids.flush()
      if (i % 97 === 0) vi.advanceTimersByTime(1_000)
    }
    // 5,000 ids in one day's bucket: no write ever held more than a segment of them.
    expect(store.largest).toBe(SEGMENT_IDS)
    const reloaded = new ExpiringIds(store, options)
    await reloaded.load()
    expect(reloaded.size).toBe(5_000)
    expect(reloaded.has('id-0') && reloaded.has('id-4999')).toBe(true)
    // Expiry deletes every segment of the bucket.
    vi.setSystemTime(START + 9 * DAY)
    reloaded.add(['later'])
    await reloaded.flush()
    expect([...store.map.keys()].filter((key) => key.startsWith('ids:'))).toHaveLength(1)
  })

  it('reads an index written before buckets had segments', async () => {
    const store = mapStore()
    const bucket = Math.floor(Date.now() / DAY)
    await store.set('ids', { v: 1, buckets: [bucket] })
    await store.set(`ids:${bucket}`, ['old-1', 'old-2'])
    const ids = new ExpiringIds(store, { key: 'ids', retentionMs: 7 * DAY, bucketMs: DAY, now: Date.now })
    await ids.load()
    expect(ids.has('old-1') && ids.has('old-2')).toBe(true)
    ids.add(['new'])
    await ids.flush()
    expect(store.map.get(`ids:${bucket}`)).toEqual(['old-1', 'old-2', 'new'])
  })
})

describe('bounded state under a long run', () => {
  it('keeps only the seen ids a poll can still re-read', async () => {
    const { sim, fetch } = fakeTimeSimulator()
    const shop = business(sim)
    const store = mapStore()
    const { cn, seen } = watcher(fetch, { store, backfill: 0 })
    await cn.addAccount({ apiKey: shop.key })
    await cn.start()
    for (let second = 0; second < 300; second++) {
      charges(sim, shop.id, 1)
      await advance(1_000)
    }
    await cn.stop()
    expect(seen).toHaveLength(300)
    const state = store.map.get(STORE_KEYS.poll(`${shop.id}/test`)) as { seen: unknown[] }
    // One event a second, a 60 s overlap: about 61 ids, never the 300 seen.
    expect(state.seen.length).toBeLessThan(70)
  })

  it('forgets emitted ids after 35 days, bucket by bucket', async () => {
    const store = mapStore()
    const enricher = new Enricher({
      ref: 'acct_1/test',
      account: () => sampleAccount(),
      lookups: { remember: () => {} } as unknown as StripeLookups,
      store,
      settleMs: 0,
      now: Date.now,
    })
    for (let day = 0; day < 50; day++) {
      vi.setSystemTime(START + day * DAY)
      const created = Math.floor(Date.now() / 1000)
      const payout = {
        id: `po_${day}`,
        object: 'payout',
        amount: 100,
        currency: 'usd',
        arrival_date: created,
      }
      const event = { id: `evt_${day}`, type: 'payout.paid', created, data: { object: payout } }
      const result = await enricher.process([event as never], false)
      expect(result.events.map((e) => e.id)).toEqual([`payout.paid:po_${day}`])
      await result.commit()
    }
    const index = store.map.get(STORE_KEYS.emitted('acct_1/test')) as { buckets: number[] }
    expect(index.buckets.length).toBeLessThanOrEqual(RETENTION.emittedIdsMs / DAY + 1)
    const buckets = [...store.map.keys()].filter((key) =>
      key.startsWith(`${STORE_KEYS.emitted('acct_1/test')}:`),
    )
    expect(buckets).toHaveLength(index.buckets.length)
  })

  it('forgets delivered markers after 7 days, and keeps the outbox index short', async () => {
    const store = mapStore()
    const delivery = new Delivery({ store, logger: silentLogger, onEvent: () => {} })
    delivery.use({ name: 'sink', send: async () => {} })
    await delivery.start()
    const base = sampleEvent('sale')
    for (let hour = 0; hour < 10 * 24; hour++) {
      vi.setSystemTime(START + hour * 3600 * 1000)
      for (let i = 0; i < 5; i++) await delivery.accept({ ...base, id: `sale:pi_${hour}_${i}` })
      await vi.advanceTimersByTimeAsync(0)
    }
    await delivery.stop()
    const sent = store.map.get(STORE_KEYS.deliverySent) as { buckets: number[] }
    expect(sent.buckets.length).toBeLessThanOrEqual(7 * 24 + 1)
    const markerKeys = [...store.map.keys()].filter((key) => key.startsWith(`${STORE_KEYS.deliverySent}:`))
    expect(markerKeys).toHaveLength(sent.buckets.length)
    const index = store.map.get(STORE_KEYS.deliveryIndex) as { outbox: string[] }
    expect(index.outbox.length).toBeLessThanOrEqual(50)
    const entries = [...store.map.keys()].filter((key) => key.startsWith('cashnotify:delivery:entry:'))
    expect(entries).toEqual([])
  })
})

describe('a removed account', () => {
  it.each([
    [{}, false],
    [{ keepState: true }, true],
  ])('leaves its state in the store only when asked to (%j)', async (options, kept) => {
    const { sim, fetch } = fakeTimeSimulator()
    const shop = business(sim)
    const store = mapStore()
    const { cn } = watcher(fetch, { store })
    const account = await cn.addAccount({ apiKey: shop.key })
    await cn.start()
    sim.business(shop.id).sale({ amount: 1_000, currency: 'usd' })
    await advance(5_000)
    const ofAccount = (): string[] => [...store.map.keys()].filter((key) => key.includes(account.ref))
    expect(ofAccount().length).toBeGreaterThan(1)
    await cn.removeAccount(account, options)
    expect(ofAccount().length > 0).toBe(kept)
    await cn.stop()
  })
})
