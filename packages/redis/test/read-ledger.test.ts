import { describe, expect, it } from 'vitest'
import { SharedReadLedger } from '../src/read-ledger.js'
import { useRedis } from './use-redis.js'

const redis = useRedis()
const HOUR = 3_600_000
const NOW = Date.UTC(2026, 11, 2, 12)

describe('SharedReadLedger', () => {
  it("adds up every process's reads: concurrent flushes never overwrite each other", async () => {
    const keys = redis.keys()
    const clock = { now: NOW }
    const ledgers = await Promise.all(
      [1, 2, 3].map(
        async () => new SharedReadLedger(await redis.client(), keys, 'acct_1/live', () => clock.now),
      ),
    )
    for (let round = 0; round < 5; round++) {
      ledgers.forEach((ledger, i) => {
        ledger.record('poll', i + 1)
        ledger.record('enrichment')
      })
      await Promise.all(ledgers.map((ledger) => ledger.flush()))
    }
    ledgers[0]!.recordPayments(2)
    await ledgers[0]!.flush()
    const reader = new SharedReadLedger(await redis.client(), keys, 'acct_1/live', () => clock.now)
    await reader.load()
    expect(reader.reads()).toEqual({ poll: 30, enrichment: 15, probe: 0, metadata: 0 })
    expect(reader.total()).toBe(45)
    expect(reader.payments()).toBe(2)
  })

  it('counts what this process has not flushed yet, and keeps it when a flush fails', async () => {
    const keys = redis.keys()
    const client = await redis.client()
    const ledger = new SharedReadLedger(client, keys, 'acct_1/live', () => NOW)
    ledger.record('metadata', 3)
    expect(ledger.total()).toBe(3)
    // A key of another type makes HINCRBY fail inside the transaction.
    await client.set(keys.reads('acct_1/live'), 'not a hash')
    await expect(ledger.flush()).rejects.toThrow(/WRONGTYPE/)
    await client.del(keys.reads('acct_1/live'))
    await ledger.flush()
    await ledger.load()
    expect(ledger.reads().metadata).toBe(3)
  })

  it('reads within a window, and drops hours past 30 days', async () => {
    const keys = redis.keys()
    const clock = { now: NOW - 31 * 24 * HOUR }
    const ledger = new SharedReadLedger(await redis.client(), keys, 'acct_1/live', () => clock.now)
    ledger.record('poll', 100) // 31 days ago
    clock.now = NOW - 2 * HOUR
    ledger.record('poll', 10)
    clock.now = NOW
    ledger.record('poll', 1)
    await ledger.flush()
    await ledger.load()
    expect(ledger.total()).toBe(11)
    expect(ledger.total(HOUR)).toBe(1)
    expect(await (await redis.client()).hlen(keys.reads('acct_1/live'))).toBe(2)
    await ledger.forget()
    expect(ledger.total()).toBe(0)
  })
})
