/**
 * Clustered digests: each account's day records are written by the process that polls it, into the
 * cluster's store, so any process builds the whole digest — every account's sales, not only its own.
 */
import { describe, expect, it } from 'vitest'
import { ACCOUNTS, saleEverywhere, until, useCluster } from './cluster-harness.js'

const { balancedPair } = useCluster()
const DAILY = { digests: [{ name: 'daily', every: 'day' }], timeZone: 'UTC' } as const

describe('clustered digests', () => {
  it("any process's digest counts the sales of every account, whichever process polled them", async () => {
    const { sim, accounts, a, b } = await balancedPair(undefined, DAILY)
    saleEverywhere(sim, accounts, 1200)
    saleEverywhere(sim, accounts, 800)
    await until('the sales were emitted', () => a.sales.length + b.sales.length >= 2 * ACCOUNTS)
    expect(a.sales.length).toBeGreaterThan(0)
    expect(b.sales.length).toBeGreaterThan(0) // each process polled some of the accounts
    // A batch's day records are written after its events are emitted: the last ones land a moment later.
    const counted = async (cn: typeof a.cn) =>
      (await cn.digest({ scope: 'all' }))[0]?.currencies[0]?.current.sales
    await expect.poll(() => counted(a.cn), { timeout: 10_000 }).toBe(2 * ACCOUNTS)
    for (const { cn } of [a, b]) {
      const [all] = await cn.digest({ scope: 'all' })
      expect(all?.currencies[0]?.current).toMatchObject({
        currency: 'usd',
        sales: 2 * ACCOUNTS,
        gross: 12_000,
      })
      const perAccount = await cn.digest()
      expect(perAccount).toHaveLength(ACCOUNTS)
      for (const digest of perAccount) expect(digest.currencies[0]?.current.gross).toBe(2000)
    }
    const ids = async (cn: typeof a.cn) => (await cn.digest()).map((digest) => digest.id).sort()
    expect(await ids(a.cn)).toEqual(await ids(b.cn)) // one id per digest: the queues send it once
    expect([...a.errors, ...b.errors]).toEqual([])
  }, 40_000)
})
