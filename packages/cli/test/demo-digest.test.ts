import { EventEmitter } from 'node:events'
import { type Digest, formatAmount } from '@cashnotify/core'
import { sampleAccount, sampleDigest, sampleDigestFigures } from '@cashnotify/core/testing'
import { StripeSimulator } from '@cashnotify/stripe-simulator'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { stopSignals } from '../src/context.js'
import { createDemoShops, type DemoShop } from '../src/demo/business.js'
import { caughtUpDigests, DIGEST_EVERY_MS, startDigestTicker } from '../src/demo/digest.js'
import { type DemoSession, startDemo } from '../src/demo/session.js'
import { captured, waitFor } from './support/harness.js'

afterEach(() => {
  vi.useRealTimers()
})

describe('the demo’s digest ticker', () => {
  it('prints every 20 s, one print at a time, and stop() waits for the one running', async () => {
    vi.useFakeTimers()
    let release = (): void => {}
    const runs: number[] = []
    const ticker = startDigestTicker(
      DIGEST_EVERY_MS,
      () => {
        runs.push(Date.now())
        return new Promise<void>((resolve) => {
          release = resolve
        })
      },
      () => {},
    )
    const start = Date.now()
    await vi.advanceTimersByTimeAsync(DIGEST_EVERY_MS - 1)
    expect(runs).toEqual([])
    await vi.advanceTimersByTimeAsync(1)
    expect(runs).toEqual([start + DIGEST_EVERY_MS])
    // A print that takes long delays the next one: they never overlap.
    await vi.advanceTimersByTimeAsync(3 * DIGEST_EVERY_MS)
    expect(runs).toHaveLength(1)
    release()
    await vi.advanceTimersByTimeAsync(DIGEST_EVERY_MS)
    expect(runs).toHaveLength(2)
    let stopped = false
    const stopping = ticker.stop().then(() => {
      stopped = true
    })
    await vi.advanceTimersByTimeAsync(0)
    expect(stopped).toBe(false)
    release()
    await stopping
    await vi.advanceTimersByTimeAsync(10 * DIGEST_EVERY_MS)
    expect(runs).toHaveLength(2)
  })

  it('reports a print that failed and goes on', async () => {
    vi.useFakeTimers()
    const errors: string[] = []
    let calls = 0
    const ticker = startDigestTicker(
      1000,
      async () => {
        calls++
        if (calls === 1) throw new Error('store closed')
      },
      (error) => errors.push(error.message),
    )
    await vi.advanceTimersByTimeAsync(2000)
    expect(errors).toEqual(['store closed'])
    expect(calls).toBe(2)
    await ticker.stop()
  })
})

/** A shop's digest of today, counting `sales` of its sales. */
function digestCounting(shop: DemoShop, sales: number): Digest {
  const now = Date.now()
  const account = sampleAccount({
    id: shop.account.id,
    name: shop.name,
    mode: shop.livemode ? 'live' : 'test',
  })
  const period = {
    kind: 'day' as const,
    start: new Date(now - 3_600_000),
    end: new Date(now + 3_600_000),
    timeZone: 'UTC',
  }
  const figures = sampleDigestFigures(shop.account.defaultCurrency, { sales })
  return sampleDigest({
    account,
    accounts: [account],
    livemode: shop.livemode,
    period,
    currencies: [{ current: figures, previous: figures }],
  })
}

describe('the demo’s digest waits for the daemon', () => {
  it('prints once the digest counts every sale the simulator made, else says how many are missing', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const sim = new StripeSimulator({ seed: 1 })
    const shops = createDemoShops(sim).slice(0, 1)
    const [shop] = shops
    if (!shop) throw new Error('the demo has shops')
    for (const amount of [1000, 2000, 3000])
      shop.business.sale({ amount, currency: shop.account.defaultCurrency })
    // The daemon counts one more sale at each look, as events arrive.
    let counted = 0
    const cn = { digest: async () => [digestCounting(shop, counted++)] }
    const waiting = caughtUpDigests({ cn, sim, shops, waitMs: 5_000 })
    await vi.advanceTimersByTimeAsync(1_000)
    const result = await waiting
    expect(result.missing).toBe(0)
    expect(counted).toBe(4) // looked at 0, 1, 2 and 3 counted
    const behind = { digest: async () => [digestCounting(shop, 1)] }
    const late = caughtUpDigests({ cn: behind, sim, shops, waitMs: 5_000 })
    await vi.advanceTimersByTimeAsync(5_000)
    expect((await late).missing).toBe(2)
  })
})

/** The lines of a shop's digests (`📊 <name> · today so far` and what follows it), the last one printed. */
function lastDigest(out: readonly string[], name: string): string[] {
  const start = out.findLastIndex((line) => line.includes(`📊 ${name} · today so far`))
  if (start < 0) return []
  const next = out.findIndex((line, index) => index > start && /^\d\d:\d\d:\d\d /.test(line))
  return out.slice(start, next < 0 ? undefined : next)
}

describe('cashnotify demo: a rule and a digest', () => {
  let demo: DemoSession | undefined
  afterEach(async () => {
    await demo?.close()
    demo = undefined
  })

  it('marks large sales, and ends with today’s digest of each shop: its gross is the simulator’s sales', async () => {
    const { output, out, err } = captured()
    const signals = new EventEmitter()
    const context = { output, env: process.env, tty: false, signals, program: 'cashnotify' }
    demo = await startDemo({ duration: undefined, seed: 1, logFormat: 'text' }, context)
    expect(err.join('\n')).toMatch(/Rule {14}large sales marked 🚀: from \$100\.00 or €50\.00/)
    expect(err.join('\n')).toMatch(/Digest {12}today so far, printed 📊 every 20 s and at the end/)
    // Seed 1 sells a Barista Course ($149.00) within seconds.
    await waitFor(() => out.some((line) => / 🚀 \$\d+\.\d\d sale · /.test(line)), 'a large sale', 20_000)
    const large = out.find((line) => line.includes(' 🚀 ')) ?? ''
    expect(large).toContain('— Large sale (from $100.00) · ')
    expect(Number(/\$(\d+)\.\d\d sale/.exec(large)?.[1])).toBeGreaterThanOrEqual(100)
    const periods = await demo.pipeline.cn.digest()
    expect(await demo.finish('the test is done', stopSignals(signals))).toBe(0)

    for (const shop of demo.shops) {
      const period = periods.find((digest) => digest.account?.id === shop.account.id)?.period
      if (!period) throw new Error(`no digest of ${shop.name}`)
      // The simulator's own record of the day: every charge that succeeded, history and traffic alike.
      const charges = demo.sim
        .store(shop.account.id, shop.livemode)
        .list('charge')
        .filter(
          (charge) =>
            charge.status === 'succeeded' &&
            charge.created * 1000 >= period.start.getTime() &&
            charge.created * 1000 < period.end.getTime(),
        )
      const currency = shop.account.defaultCurrency
      const gross = charges.reduce((sum, charge) => sum + charge.amount, 0)
      expect(charges.length).toBeGreaterThanOrEqual(5) // the history's five, and the traffic's
      const lines = lastDigest(out, `${shop.livemode ? '' : '[test] '}${shop.name}`)
      expect(lines[1]).toMatch(
        new RegExp(`^ {9}${currency.toUpperCase()} {2}gross \\S+ · net \\S+ · ${charges.length} sales$`),
      )
      expect(lines[1]).toContain(`gross ${formatAmount(gross, currency)} · `)
      expect(lines.join('\n')).toMatch(/top .+ \(.+\)/)
      expect(lines.at(-1)).toMatch(/^ {14}vs \w{3}, \w{3} \d+: /)
    }
    expect(err.join('\n')).not.toContain('still on the way')
    expect(err.at(-1)).toMatch(/^\d\d:\d\d:\d\d {3}Demo over after \d+ s: /)
  }, 60_000)
})
