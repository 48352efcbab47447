import { join } from 'node:path'
import type { SimAccount } from '@cashnotify/stripe-simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../src/config/load.js'
import { createLogger } from '../src/log/logger.js'
import { openState } from '../src/store/open-state.js'
import { type Pipeline, startPipeline } from '../src/watch/pipeline.js'
import { fullKey, jsonLines, type SimHarness, startSim, tempDir, waitFor } from './support/harness.js'

/** An account Stripe allows many reads: polls every second, as a restart test needs. */
const LARGE_ALLOCATION = { monthly: 5_000_000 }

let sim: SimHarness
let dir: ReturnType<typeof tempDir>
let account: SimAccount
let env: Record<string, string>

beforeAll(async () => {
  sim = await startSim()
  dir = tempDir()
  account = sim.sim.createAccount({ businessName: 'Acme Inc' })
  env = { ACME_KEY: fullKey(sim.sim, account.id, 'live') }
})
afterAll(async () => {
  await sim.close()
  dir.remove()
})

/** One run of `cashnotify watch`'s pipeline, printing notifications as JSON lines into `printed`. */
async function run(
  printed: string[],
  logs: string[],
  notifiers: unknown[] = [{ type: 'console' }],
  file = 'state.sqlite',
): Promise<{ pipeline: Pipeline; close(): Promise<void> }> {
  const loaded = parseConfig(
    {
      accounts: [{ keyEnv: 'ACME_KEY' }],
      notifiers,
      pollInterval: 1000,
      readAllocation: LARGE_ALLOCATION,
      stripeUrl: sim.url,
    },
    'test',
    dir.path,
  )
  const state = openState(join(dir.path, file), { lock: true })
  const pipeline = await startPipeline({
    loaded,
    env,
    store: state.store,
    logger: createLogger({ format: 'json', write: (line) => logs.push(line) }),
    write: (line) => printed.push(line),
    format: 'json',
    color: false,
    deadLetterHint: '',
  })
  return {
    pipeline,
    async close() {
      await pipeline.stop()
      await state.close()
    },
  }
}

const ids = (printed: readonly string[]): string[] => jsonLines(printed).map((line) => String(line.id))

describe('a restart with the same SQLite file', () => {
  it('notifies what happened while stopped, and nothing twice', async () => {
    const shop = sim.sim.business(account.id, { livemode: true })
    const past = Math.floor(Date.now() / 1000) - 120
    const jane = shop.customer({ email: 'jane@example.com', country: 'US', at: past })
    const { price } = shop.product({ name: 'T-shirt', unitAmount: 2500, currency: 'usd', at: past })
    const sale = () => shop.sale({ customer: jane, items: [{ price }] }).paymentIntent.id

    const printed: string[] = []
    const logs: string[] = []
    const first = await run(printed, logs)
    // The first poll reads the account's past (the customer and product) as backfill, notifying none of it.
    await waitFor(() => logs.some((line) => line.includes('most recent events as history')), 'the backfill')
    const before = [sale(), sale(), sale()]
    await waitFor(() => printed.length >= 3, 'three sales notified')
    await first.close()
    expect(ids(printed)).toEqual(before.map((pi) => `sale:${pi}`))

    // While the daemon is down, business goes on.
    const during = [sale(), sale()]
    const refunded = shop.sale({ amount: 1500, currency: 'usd', guest: { email: 'gus@example.com' } })
    shop.refund(refunded.charge)

    const second = await run(printed, logs)
    await waitFor(() => printed.length >= 3 + 4, 'what happened while stopped')
    // A sentinel: once it is notified, every poll that could repeat an earlier event has run.
    const sentinel = sale()
    await waitFor(() => ids(printed).includes(`sale:${sentinel}`), 'the sentinel sale')
    await second.close()

    const all = ids(printed)
    expect(new Set(all).size).toBe(all.length)
    expect(all.filter((id) => id.startsWith('sale:')).sort()).toEqual(
      [...before, ...during, refunded.paymentIntent.id, sentinel].map((pi) => `sale:${pi}`).sort(),
    )
    expect(all.filter((id) => id.startsWith('refund:'))).toHaveLength(1)
    expect(logs.filter((line) => line.includes('most recent events as history'))).toHaveLength(1)
  }, 40_000)

  it('says once, at start-up, when a desktop notifier cannot work here', async () => {
    const logs: string[] = []
    const { close } = await run([], logs, [{ type: 'desktop' }], 'desktop.sqlite')
    await close()
    const warnings = jsonLines(logs).filter((line) => line.level === 'warn')
    expect(warnings.map((line) => line.msg)).toEqual([
      expect.stringMatching(
        /^The desktop notifier will fail here: .+ Its notifications become dead letters until that is fixed\.$/,
      ),
    ])
  })
})
