import { describe, expect, it } from 'vitest'
import { fairShare, LeaseBalancer, preference } from '../src/fair-share.js'
import type { ClusterKeys } from '../src/keys.js'
import { Leases } from '../src/leases.js'
import { Membership } from '../src/membership.js'
import { sleep, useRedis } from './use-redis.js'

const redis = useRedis()
const TTL_MS = 500
const ACCOUNTS = Array.from({ length: 10 }, (_, i) => `acct_${i}/live`)

async function join(keys: ClusterKeys, id: string): Promise<LeaseBalancer> {
  const client = await redis.client()
  const leases = new Leases(client, keys, { holder: id, ttlMs: TTL_MS, now: Date.now })
  return new LeaseBalancer(leases, new Membership(client, keys, id, TTL_MS))
}

/** Ticks every balancer `rounds` times, one after the other, and returns each one's last result. */
async function settle(balancers: LeaseBalancer[], rounds = 3) {
  let results: Awaited<ReturnType<LeaseBalancer['tick']>>[] = []
  for (let i = 0; i < rounds; i++) {
    results = []
    for (const balancer of balancers) results.push(await balancer.tick(ACCOUNTS))
  }
  return results
}

function expectPartition(held: readonly (readonly string[])[], most: number): void {
  const all = held.flat()
  expect(new Set(all).size).toBe(all.length)
  expect([...all].sort()).toEqual([...ACCOUNTS].sort())
  for (const share of held) expect(share.length).toBeLessThanOrEqual(most)
}

describe('fairShare', () => {
  it('is ceil(resources / processes), enough to cover every resource', () => {
    expect(fairShare(30, 3)).toBe(10)
    expect(fairShare(30, 4)).toBe(8)
    expect(fairShare(10, 3)).toBe(4)
    expect(fairShare(0, 3)).toBe(0)
    expect(fairShare(5, 0)).toBe(5)
    for (let resources = 0; resources < 50; resources++) {
      for (let processes = 1; processes < 8; processes++) {
        expect(fairShare(resources, processes) * processes).toBeGreaterThanOrEqual(resources)
      }
    }
  })

  it('ranks resources per process deterministically, and differently for different processes', () => {
    expect(preference('p1', 'acct_1/live')).toBe(preference('p1', 'acct_1/live'))
    const order = (holder: string) =>
      [...ACCOUNTS].sort((a, b) => preference(holder, b) - preference(holder, a))
    expect(order('p1')).not.toEqual(order('p2'))
  })
})

describe('LeaseBalancer', () => {
  it('divides the accounts between the live processes, each at most its fair share, none twice', async () => {
    const keys = redis.keys()
    const balancers = await Promise.all(['p1', 'p2', 'p3'].map((id) => join(keys, id)))
    const results = await settle(balancers)
    for (const result of results) expect(result).toMatchObject({ processes: 3, target: 4 })
    expectPartition(
      results.map((result) => result.held),
      4,
    )
  })

  it('releases extras when a process joins, and the newcomer takes them', async () => {
    const keys = redis.keys()
    const first = await Promise.all(['p1', 'p2'].map((id) => join(keys, id)))
    const before = await settle(first)
    expectPartition(
      before.map((result) => result.held),
      5,
    )
    const joined = [...first, await join(keys, 'p3'), await join(keys, 'p4')]
    const after = await settle(joined)
    expectPartition(
      after.map((result) => result.held),
      3,
    )
    expect(after[2]!.held.length).toBeGreaterThan(0)
    expect(after[3]!.held.length).toBeGreaterThan(0)
  })

  it('does not count a process that watches nothing, so the others still cover every account', async () => {
    const keys = redis.keys()
    const [p1, p2, idle] = await Promise.all(['p1', 'p2', 'idle'].map((id) => join(keys, id)))
    for (let round = 0; round < 3; round++) {
      await p1!.tick(ACCOUNTS)
      expect(await idle!.tick([])).toMatchObject({ processes: 0, target: 0, held: [] })
      await p2!.tick(ACCOUNTS)
    }
    const results = await settle([p1!, p2!])
    for (const result of results) expect(result).toMatchObject({ processes: 2, target: 5 })
    expectPartition(
      results.map((result) => result.held),
      5,
    )
  })

  it("gives a dead process's accounts to the others once its leases expire", async () => {
    const keys = redis.keys()
    const [p1, p2, p3] = await Promise.all(['p1', 'p2', 'p3'].map((id) => join(keys, id)))
    const results = await settle([p1!, p2!, p3!])
    const orphaned = results[2]!.held
    expect(orphaned.length).toBeGreaterThan(0)
    // p3 stops ticking (killed): nothing is released, its heartbeat and leases just run out.
    const started = Date.now()
    let survivors = await settle([p1!, p2!], 1)
    while (survivors.flatMap((result) => result.held).length < ACCOUNTS.length) {
      expect(Date.now() - started).toBeLessThan(TTL_MS * 3)
      await sleep(TTL_MS / 5)
      survivors = await settle([p1!, p2!], 1)
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(TTL_MS / 2)
    expect(survivors[0]).toMatchObject({ processes: 2, target: 5 })
    expectPartition(
      survivors.map((result) => result.held),
      5,
    )
  })

  it('a clean stop releases at once: the others need not wait for the TTL', async () => {
    const keys = redis.keys()
    const [p1, p2] = await Promise.all(['p1', 'p2'].map((id) => join(keys, id)))
    await settle([p1!, p2!])
    await p2!.stop()
    const [result] = await settle([p1!], 1)
    expect(result).toMatchObject({ processes: 1, target: 10 })
    expect(result!.held).toEqual([...ACCOUNTS].sort())
  })

  it('notices a lease lost while it was paused, and stops counting it', async () => {
    const keys = redis.keys()
    const [p1, p2] = await Promise.all(['p1', 'p2'].map((id) => join(keys, id)))
    const [alone] = await settle([p1!], 1)
    expect(alone!.held).toHaveLength(10)
    // p1 pauses past the TTL; p2 arrives and takes what it can meanwhile.
    await sleep(TTL_MS + 100)
    const [taken] = await settle([p2!], 1)
    expect(taken!.held.length).toBeGreaterThan(0)
    const resumed = await p1!.tick(ACCOUNTS)
    expect(resumed.lost).toEqual(expect.arrayContaining([...taken!.held]))
    for (const resource of taken!.held) expect(p1!.lease(resource)).toBeUndefined()
  })

  it('releases accounts that are no longer watched', async () => {
    const keys = redis.keys()
    const [p1] = await Promise.all(['p1'].map((id) => join(keys, id)))
    await p1!.tick(ACCOUNTS)
    const result = await p1!.tick(ACCOUNTS.slice(0, 3))
    expect(result.held).toEqual(ACCOUNTS.slice(0, 3).sort())
    expect(result.released).toHaveLength(7)
  })

  it('awaits beforeRelease for each lease it gives up, while the lease is still held', async () => {
    const keys = redis.keys()
    const p1 = await join(keys, 'p1')
    const leases = new Leases(await redis.client(), keys, { holder: 'probe', ttlMs: TTL_MS, now: Date.now })
    await p1.tick(ACCOUNTS)
    const yielded: string[] = []
    const result = await p1.tick(ACCOUNTS.slice(0, 3), async (resource) => {
      // The work on it stops first: nobody else can claim it until this resolves.
      expect((await leases.holderOf(resource))?.holder).toBe('p1')
      yielded.push(resource)
    })
    expect(yielded.sort()).toEqual([...result.released].sort())
    expect(yielded).toHaveLength(7)
  })
})
