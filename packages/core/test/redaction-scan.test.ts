import { inspect } from 'node:util'
import { Keyv } from 'keyv'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CashNotify,
  checkKey,
  containsSecret,
  type LogFields,
  type Logger,
  parseKey,
  REQUIRED_PERMISSIONS,
} from '../src/index.js'
import { ALL_PERMISSIONS, type RunningSimulator, startSimulator } from './helpers.js'

/**
 * Runs every path that can carry a key — each kind of bad key, refusals, outages, polling, revocation,
 * listener failures — and scans everything CashNotify produced on the way: thrown errors (message, stack,
 * cause chain, JSON, inspect), log lines, emitted events and the store's contents.
 */
let running: RunningSimulator
beforeAll(async () => {
  running = await startSimulator({ rateLimits: false })
})
afterAll(() => running.close())

describe('no key material leaves CashNotify', () => {
  it('in errors, logs, events or the store', async () => {
    const { sim } = running
    const keys: string[] = []
    const artefacts: unknown[] = []
    const capture = (value: unknown): void => void artefacts.push(value)
    const logger: Logger = {
      debug: (m: string, f?: LogFields) => capture([m, f]),
      info: (m: string, f?: LogFields) => capture([m, f]),
      warn: (m: string, f?: LogFields) => capture([m, f]),
      error: (m: string, f?: LogFields) => capture([m, f]),
    }
    const newKey = (permissions: readonly string[], mode: 'live' | 'test' = 'test'): string => {
      const account = sim.createAccount({ businessName: 'Leaky Inc', icon: true }).id
      const key = sim.createKey({ account, kind: 'restricted', mode, permissions })
      keys.push(key)
      return key
    }
    const attempt = async (work: () => Promise<unknown>): Promise<void> => {
      try {
        capture(await work())
      } catch (error) {
        capture(error)
      }
    }

    // Malformed and refused keys, straight and pasted badly.
    const good = newKey(ALL_PERMISSIONS)
    for (const bad of [
      `Bearer ${good}`,
      ` ${good}`,
      `${good}\n`,
      `${good}!`,
      `${good}${good}`,
      good.replace('rk_', 'pk_'),
    ]) {
      keys.push(bad.trim())
      await attempt(async () => parseKey(bad))
      await attempt(() => checkKey(bad, { stripe: running.stripe }))
    }
    // Keys Stripe refuses, and an outage.
    const revoked = newKey(ALL_PERMISSIONS)
    sim.revokeKey(revoked)
    const expired = newKey(ALL_PERMISSIONS)
    sim.expireKey(expired)
    for (const key of [
      revoked,
      expired,
      ['sk', 'live', '51ThisKeyDoesNotExistAnywhere000000000000000'].join('_'),
    ]) {
      keys.push(key)
      await attempt(() => checkKey(key, { stripe: running.stripe, retry: { retries: 0 } }))
    }
    const down = newKey(ALL_PERMISSIONS)
    sim.faults.add({ key: down, kind: 'server_error', times: 1 })
    await attempt(() => checkKey(down, { stripe: running.stripe, retry: { retries: 0 } }))

    // A watching instance: degraded and refused accounts, polling, a revoked key, a throwing listener.
    const store = new Keyv({ store: new Map() })
    const cn = new CashNotify({
      store,
      stripe: running.stripe,
      retry: { retries: 0 },
      logger,
      pollInterval: 1_000,
    })
    for (const event of ['account.added', 'account.status', 'stripe.event', 'gap', 'error'] as const) {
      cn.on(event, (...args: unknown[]) => capture(args))
    }
    cn.on('stripe.event', () => {
      throw new Error(`listener failed while holding ${good}`)
    })
    await attempt(() => cn.addAccount({ apiKey: good }))
    await attempt(() => cn.addAccount({ apiKey: good }))
    await attempt(() =>
      cn.addAccount({ apiKey: newKey(REQUIRED_PERMISSIONS.filter((p) => p !== 'rak_customer_read')) }),
    )
    await attempt(() => cn.addAccount({ apiKey: newKey(['rak_balance_read']) }))
    await attempt(() => cn.addAccount({ apiKey: good, name: 42 as unknown as string }))
    const polled = newKey(ALL_PERMISSIONS, 'live')
    const account = await cn.addAccount({ apiKey: polled })
    sim.createEvent({
      account: account.id,
      livemode: true,
      type: 'charge.succeeded',
      object: { id: 'ch_1', object: 'charge' },
    })
    await cn.start()
    await waitFor(() => artefacts.some((a) => Array.isArray(a) && inspect(a).includes('charge.succeeded')))
    sim.revokeKey(polled)
    sim.createEvent({
      account: account.id,
      livemode: true,
      type: 'charge.succeeded',
      object: { id: 'ch_2', object: 'charge' },
    })
    await waitFor(() => cn.account(account.ref)?.status === 'invalid_key')
    await cn.stop()
    capture(cn.accounts())
    capture([...(store.opts.store as Map<string, unknown>).entries()])

    const text = artefacts.map(render).join('\n')
    expect(artefacts.length).toBeGreaterThan(30)
    // The scanner itself finds a key that is there.
    expect(render({ leaked: good }).includes(good.slice(8, 24))).toBe(true)
    expect(text).toContain('key_revoked')
    expect(text).toContain('rk_test_…')
    for (const key of keys) {
      const leak = artefacts
        .map(render)
        .find((t) => t.includes(key.replace(/^(sk|rk|pk)_(live|test)_/, '').slice(0, 16)))
      if (leak) console.log('LEAK', key.slice(0, 12), leak.slice(0, 3000))
      const body = key.replace(/^(sk|rk|pk)_(live|test)_/, '')
      expect(text.includes(body.slice(0, 16)), `a part of ${key.slice(0, 8)}… leaked`).toBe(false)
    }
    expect(containsSecret(text)).toBe(false)
  }, 30_000)
})

/** Everything a value shows when printed, serialised or inspected, including its cause chain. */
function render(value: unknown): string {
  const parts = [inspect(value, { depth: 10, showHidden: false })]
  try {
    parts.push(JSON.stringify(value))
  } catch {
    parts.push('[unserialisable]')
  }
  for (let error = value; error instanceof Error; error = error.cause) {
    parts.push(error.message, error.stack ?? '', JSON.stringify(error))
  }
  return parts.join('\n')
}

async function waitFor(condition: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((resolve) => setImmediate(resolve))
  }
}
