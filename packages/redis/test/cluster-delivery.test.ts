/**
 * Clustered delivery: `new CashNotify({ cluster })` sends through the cluster's BullMQ queues, so a
 * notification accepted by one process is sent by any, once per notifier and id, and its dead letters
 * and replays are the cluster's. Two instances on one real redis-server and the simulator over HTTP.
 */
import { type DeadLetter, type Notification, type Notifier, NotifierError } from '@cashnotify/core'
import { describe, expect, it } from 'vitest'
import { ACCOUNTS, saleEverywhere, until, useCluster } from './cluster-harness.js'

const { balancedPair } = useCluster()

/** A notifier that records what it delivered, and fails while `failing()` says how. */
function recorder(failing: () => 'no' | 'retryable' | 'final' = () => 'no') {
  const delivered: string[] = []
  let attempts = 0
  const notifier: Notifier = {
    name: 'hook',
    async send(notification: Notification) {
      attempts++
      const how = failing()
      if (how === 'no') return void delivered.push(notification.id)
      throw new NotifierError(`hook is down (${how})`, { notifier: 'hook', retryable: how === 'retryable' })
    },
  }
  return { notifier, delivered, attempts: () => attempts }
}

const fastRetries = { retry: { attempts: 5, baseDelayMs: 20, maxDelayMs: 50 } }

describe('clustered delivery through BullMQ', () => {
  it('sends what any process accepted from any process, once per id', async () => {
    // a's channel is broken: what a accepted reaches the receiver only if b's worker sends it.
    const inA = recorder(() => 'retryable')
    const inB = recorder()
    const { sim, accounts, a, b } = await balancedPair()
    // Either worker may take each try; with 5 tries one sale in 32 was a's all five times and became a
    // dead letter (a CI flake). With 25, a's worker takes them all once in 33 million.
    const manyRetries = { retry: { ...fastRetries.retry, attempts: 25 } }
    a.cn.use(inA.notifier, manyRetries)
    b.cn.use(inB.notifier, manyRetries)
    saleEverywhere(sim, accounts, 2100)
    await until('both emitted the sales', () => a.sales.length + b.sales.length >= ACCOUNTS)
    expect(a.sales.length).toBeGreaterThan(0) // a accepted some of them itself
    const sales = new Set([...a.sales, ...b.sales])
    await until('every sale was delivered', () => new Set(inB.delivered).size === sales.size)
    expect(inA.delivered).toEqual([])
    expect(inB.delivered).toHaveLength(sales.size) // each once: no process sent one twice
    expect(new Set(inB.delivered)).toEqual(sales)
    expect([...a.errors, ...b.errors]).toEqual([])
  }, 40_000)

  it('keeps dead letters for the whole cluster, and a replay from any process sends them', async () => {
    let how: 'no' | 'final' = 'final'
    const inA = recorder(() => how)
    const inB = recorder(() => how)
    const { sim, accounts, a, b } = await balancedPair()
    a.cn.use(inA.notifier, fastRetries)
    b.cn.use(inB.notifier, fastRetries)
    const dead: DeadLetter[] = []
    for (const { cn } of [a, b])
      cn.on('notification.dead_letter', ({ deadLetter }) => void dead.push(deadLetter))
    saleEverywhere(sim, accounts, 3300)
    await until('every sale is a dead letter', () => dead.length === ACCOUNTS)
    // One failure that says a retry cannot help: one attempt each, then the cluster's dead letter.
    expect(inA.attempts() + inB.attempts()).toBe(ACCOUNTS)
    const listed = await a.cn.deadLetters()
    expect(listed.map((letter) => letter.id).sort()).toEqual(dead.map((letter) => letter.id).sort())
    expect(listed[0]).toMatchObject({ notifier: 'hook', attempts: 1, error: { code: 'notifier_failed' } })
    expect(listed[0]?.error.message).toContain('hook is down (final)')
    expect(listed[0]?.notification.title).toContain('$33.00')
    expect(await b.cn.deadLetters()).toHaveLength(ACCOUNTS)

    how = 'no'
    expect(await b.cn.replay()).toBe(ACCOUNTS)
    await until(
      'the replayed ones were delivered',
      () => inA.delivered.length + inB.delivered.length === ACCOUNTS,
    )
    expect(new Set([...inA.delivered, ...inB.delivered])).toEqual(new Set([...a.sales, ...b.sales]))
    expect(await a.cn.deadLetters()).toEqual([])
    expect(await b.cn.replay()).toBe(0)
  }, 40_000)
})
