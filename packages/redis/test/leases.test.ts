import { describe, expect, it } from 'vitest'
import { type Lease, Leases } from '../src/leases.js'
import { sleep, useRedis } from './use-redis.js'

const redis = useRedis()
const TTL_MS = 400

async function leasesFor(...holders: string[]): Promise<Leases[]> {
  const keys = redis.keys()
  return Promise.all(
    holders.map(
      async (holder) => new Leases(await redis.client(), keys, { holder, ttlMs: TTL_MS, now: Date.now }),
    ),
  )
}

function claimed(result: Awaited<ReturnType<Leases['claim']>>): Lease {
  if (!result.claimed) throw new Error(`expected a claim, ${result.holder} holds it`)
  return result.lease
}

describe('Leases', () => {
  it('gives a resource to one holder at a time, and says who holds it', async () => {
    const [a, b] = await leasesFor('a', 'b')
    const lease = claimed(await a!.claim('acct_1/live'))
    expect(await b!.claim('acct_1/live')).toEqual({ claimed: false, holder: 'a', token: lease.token })
    const holder = await b!.holderOf('acct_1/live')
    expect(holder).toMatchObject({ holder: 'a', token: lease.token })
    expect(holder!.ttlMs).toBeGreaterThan(0)
    expect(holder!.ttlMs).toBeLessThanOrEqual(TTL_MS)
  })

  it("counts a lease's validity on the local clock from before the claim was sent", async () => {
    const clock = { now: 1_000 }
    const leases = new Leases(await redis.client(), redis.keys(), {
      holder: 'a',
      ttlMs: TTL_MS,
      now: () => clock.now,
    })
    const lease = claimed(await leases.claim('acct_1/live'))
    expect(lease.validUntil).toBe(1_000 + TTL_MS)
    clock.now = 1_200
    expect((await leases.renew(lease))?.validUntil).toBe(1_200 + TTL_MS)
  })

  it('claiming again what one holds renews it and keeps its token', async () => {
    const [a] = await leasesFor('a')
    const first = claimed(await a!.claim('acct_1/live'))
    const again = claimed(await a!.claim('acct_1/live'))
    expect(again.token).toBe(first.token)
  })

  it('hands out strictly increasing fencing tokens per resource, across holders and releases', async () => {
    const [a, b] = await leasesFor('a', 'b')
    const tokens: number[] = []
    for (const holder of [a!, b!, a!, b!]) {
      const lease = claimed(await holder.claim('acct_1/live'))
      tokens.push(lease.token)
      expect(await holder.release(lease)).toBe(true)
    }
    expect(tokens).toEqual([1, 2, 3, 4])
    // Another resource has its own counter.
    expect(claimed(await a!.claim('acct_2/live')).token).toBe(1)
  })

  it('renews only while held: a lease that expired is lost, and another holder can claim it', async () => {
    const [a, b] = await leasesFor('a', 'b')
    const lease = claimed(await a!.claim('acct_1/live'))
    expect(lease.validUntil).toBeLessThanOrEqual(Date.now() + TTL_MS)
    await sleep(TTL_MS / 2)
    const renewed = await a!.renew(lease)
    expect(renewed?.validUntil).toBeGreaterThan(lease.validUntil)
    await sleep(TTL_MS / 2 + 100)
    // Renewed half-way, so still held past the first TTL.
    expect(await b!.claim('acct_1/live')).toMatchObject({ claimed: false, holder: 'a' })
    await sleep(TTL_MS + 50)
    const taken = claimed(await b!.claim('acct_1/live'))
    expect(taken.token).toBeGreaterThan(lease.token)
    expect(await a!.renew(lease)).toBeUndefined()
    expect(await a!.release(lease)).toBe(false)
    expect(await b!.holderOf('acct_1/live')).toMatchObject({ holder: 'b' })
  })

  it('a released lease can be claimed at once, without waiting for the TTL', async () => {
    const [a, b] = await leasesFor('a', 'b')
    const lease = claimed(await a!.claim('acct_1/live'))
    await a!.release(lease)
    expect((await b!.claim('acct_1/live')).claimed).toBe(true)
  })

  it('refuses the fenced write of a paused holder once the next holder has claimed', async () => {
    const [a, b] = await leasesFor('a', 'b')
    const reader = await redis.client()
    const old = claimed(await a!.claim('acct_1/live'))
    await a!.fencedSet(old, 'cursor', 'evt_1')
    expect(await reader.get('cursor')).toBe('evt_1')
    // `a` stalls (a GC pause, a frozen VM) past its TTL; `b` takes over and writes.
    await sleep(TTL_MS + 50)
    const next = claimed(await b!.claim('acct_1/live'))
    await b!.fencedSet(next, 'cursor', 'evt_2')
    // `a` wakes up and tries to write with its old token: refused, nothing changed.
    await expect(a!.fencedSet(old, 'cursor', 'evt_stale')).rejects.toMatchObject({
      name: 'RedisClusterError',
      reason: 'lease_lost',
    })
    await expect(a!.fencedDelete(old, 'cursor')).rejects.toThrow(/no longer held/)
    expect(await reader.get('cursor')).toBe('evt_2')
    expect(await a!.isCurrent(old)).toBe(false)
    expect(await b!.isCurrent(next)).toBe(true)
  })

  it('refuses a fenced write after the lease expired even if nobody claimed it since', async () => {
    const [a] = await leasesFor('a')
    const lease = claimed(await a!.claim('acct_1/live'))
    await sleep(TTL_MS + 50)
    await expect(a!.fencedSet(lease, 'late-cursor', 'late')).rejects.toMatchObject({ reason: 'lease_lost' })
    expect(await (await redis.client()).exists('late-cursor')).toBe(0)
  })

  it('fenced writes can expire and delete', async () => {
    const [a] = await leasesFor('a')
    const reader = await redis.client()
    const lease = claimed(await a!.claim('acct_1/live'))
    await a!.fencedSet(lease, 'seen', 'x', 5000)
    const ttl = await reader.pttl('seen')
    expect(ttl).toBeGreaterThan(4000)
    expect(ttl).toBeLessThanOrEqual(5000)
    await a!.fencedDelete(lease, 'seen')
    expect(await reader.exists('seen')).toBe(0)
  })
})
