import { Keyv } from 'keyv'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { CashNotify, silentLogger } from '../src/index.js'
import { DEFAULTS } from '../src/shared/defaults.js'
import { ALL_PERMISSIONS, type RunningSimulator, startSimulator } from './helpers.js'
import { assertOncePerAccountInOrder, type Seen } from './polling-helpers.js'

/**
 * The polling engine against the simulator over real HTTP, with Stripe's rate limits on and random 429s
 * and 5xx: every created event must be emitted exactly once, in order per account, across two restarts,
 * and no account may exceed its budget in any one-second window. `SOAK_EVENTS` makes it longer.
 */
const TOTAL_EVENTS = Number(process.env.SOAK_EVENTS ?? 2_000)
const WAVES = 8

let running: RunningSimulator
beforeAll(async () => {
  running = await startSimulator({ seed: 42 })
})
afterAll(() => running.close())

/** A deterministic source of randomness for the event mix. */
function lcg(seed: number): () => number {
  let state = seed
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    return state / 2 ** 31
  }
}

function maxInAnyWindow(times: number[]): number {
  const sorted = [...times].sort((a, b) => a - b)
  let max = 0
  for (let end = 0, start = 0; end < sorted.length; end++) {
    while ((sorted[end] ?? 0) - (sorted[start] ?? 0) >= 1000) start++
    max = Math.max(max, end - start + 1)
  }
  return max
}

describe('polling soak over real HTTP', () => {
  it(`emits ${TOTAL_EVENTS} events from 3 accounts exactly once and in order, across two restarts`, async () => {
    const { sim } = running
    const random = lcg(7)
    const shops = (['test', 'test', 'live'] as const).map((mode, i) => {
      const id = sim.createAccount({ businessName: `Soak ${i}` }).id
      return {
        id,
        mode,
        key: sim.createKey({ account: id, kind: 'restricted', mode, permissions: ALL_PERMISSIONS }),
      }
    })
    for (const kind of ['rate_limit', 'server_error'] as const) {
      sim.faults.add({ kind, endpoint: 'GET /v1/events', probability: 0.04, times: Number.POSITIVE_INFINITY })
    }
    const store = new Keyv()
    const seen: Seen[] = []
    const created = new Map<string, string[]>(shops.map((s) => [`${s.id}/${s.mode}`, []]))

    const launch = async (): Promise<CashNotify> => {
      const cn = new CashNotify({
        store,
        stripe: running.stripe,
        pollInterval: 1_000,
        backfill: 0,
        retry: { retries: 2, baseDelayMs: 50 },
        maxBackoff: 2_000,
        logger: silentLogger,
      })
      cn.on('stripe.event', (event, { account }) =>
        seen.push({ id: event.id, created: event.created, account: account.ref, backfill: false }),
      )
      for (const shop of shops) await cn.addAccount({ apiKey: shop.key })
      await cn.start()
      return cn
    }

    // Budgets belong to an instance: windows are checked within each run, split at the restarts.
    const now = (): number => performance.timeOrigin + performance.now()
    const restarts: number[] = []
    let cn = await launch()
    const perWave = Math.ceil(TOTAL_EVENTS / WAVES)
    let made = 0
    for (let wave = 0; wave < WAVES; wave++) {
      if (wave === 3 || wave === 6) {
        await cn.stop()
        restarts.push(now())
        cn = await launch()
      }
      // A wave: same-second bursts of random size for random accounts, until the wave is full.
      for (let inWave = 0; inWave < perWave && made < TOTAL_EVENTS; ) {
        const shop = shops[Math.floor(random() * shops.length)] ?? shops[0]
        const burst = Math.min(1 + Math.floor(random() * 30), perWave - inWave, TOTAL_EVENTS - made)
        for (let i = 0; i < burst; i++) {
          const type = random() < 0.5 ? 'charge.succeeded' : 'customer.created'
          const event = sim.createEvent({
            account: shop?.id ?? '',
            livemode: shop?.mode === 'live',
            type,
            object: { id: `obj_${made}`, object: type === 'charge.succeeded' ? 'charge' : 'customer' },
          })
          created.get(`${shop?.id}/${shop?.mode}`)?.push(event.id)
        }
        inWave += burst
        made += burst
      }
      await vi.waitFor(() => expect(seen.length).toBe(made), { timeout: 20_000, interval: 50 })
    }
    await cn.stop()

    assertOncePerAccountInOrder(seen)
    for (const [ref, ids] of created) {
      expect(
        seen
          .filter((e) => e.account === ref)
          .map((e) => e.id)
          .sort(),
      ).toEqual([...ids].sort())
    }
    expect(seen).toHaveLength(TOTAL_EVENTS)
    for (const shop of shops) {
      const budget = shop.mode === 'live' ? DEFAULTS.budget.livePerSecond : DEFAULTS.budget.testPerSecond
      const times = sim.requests.log.filter((entry) => entry.account === shop.id).map((entry) => entry.at)
      const runs = [0, ...restarts, Number.POSITIVE_INFINITY]
      for (let run = 0; run + 1 < runs.length; run++) {
        const inRun = times.filter((t) => t >= (runs[run] ?? 0) && t < (runs[run + 1] ?? 0))
        expect(maxInAnyWindow(inRun), `${shop.mode} account, run ${run}`).toBeLessThanOrEqual(budget)
      }
    }
  }, 120_000)
})
