import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  checkKey,
  InvalidKeyError,
  PERMISSIONS,
  type PermissionName,
  REQUIRED_PERMISSIONS,
  StripeUnavailableError,
} from '../src/index.js'
import { ALL_PERMISSIONS, type RunningSimulator, startSimulator, viaSimulator } from './helpers.js'

let running: RunningSimulator
let accountId: string
beforeAll(async () => {
  running = await startSimulator({ rateLimits: false })
  accountId = running.sim.createAccount({ businessName: 'Acme Inc', icon: true }).id
})
afterAll(() => running.close())

const restricted = (permissions: readonly string[], mode: 'live' | 'test' = 'test'): string =>
  running.sim.createKey({ account: accountId, kind: 'restricted', mode, permissions })

describe('checkKey against the simulator', () => {
  it('grants everything to a full restricted key; file write is learnt later, not probed', async () => {
    const report = await checkKey(restricted(ALL_PERMISSIONS), viaSimulator(running))
    expect(report.ok).toBe(true)
    expect(report.accountId).toBe(accountId)
    expect(report.granted).toEqual(ALL_PERMISSIONS.filter((p) => p !== 'rak_file_write'))
    expect(report.missingRequired).toEqual([])
    expect(report.featuresLost).toEqual([])
    expect(report.checks.find((c) => c.permission === 'rak_file_write')?.state).toBe('not_probed')
    expect(report.hints.join(' ')).toContain('learnt when the logo is imported')
  })

  it.each(REQUIRED_PERMISSIONS)('reports %s missing alone, and the feature it degrades', async (missing) => {
    const report = await checkKey(
      restricted(REQUIRED_PERMISSIONS.filter((p) => p !== missing)),
      viaSimulator(running),
    )
    expect(report.ok).toBe(false)
    expect(report.missingRequired).toEqual([missing])
    expect(report.missingOptional).toEqual(['rak_connected_account_read', 'rak_checkout_session_read'])
    expect(report.featuresLost.map((f) => f.permission)).toEqual([
      missing,
      'rak_connected_account_read',
      'rak_checkout_session_read',
    ])
    expect(report.featuresLost[0]?.feature).toBe(PERMISSIONS[missing].feature)
    // The account probe is refused, but Stripe's 403 still names the account.
    expect(report.accountId).toBe(accountId)
  })

  it('reports every permission missing for a key with none, with the link to a better key', async () => {
    const report = await checkKey(restricted([], 'live'), viaSimulator(running))
    expect(report.missingRequired).toEqual(REQUIRED_PERMISSIONS)
    expect(report.granted).toEqual([])
    expect(report.restrictedKeyUrl).toMatch(
      /^https:\/\/dashboard\.stripe\.com\/apikeys\/create\?name=CashNotify/,
    )
    expect(report.requiredPermissions).toEqual(REQUIRED_PERMISSIONS)
    expect(report.hints.join(' ')).toContain('Without rak_event_read nothing can be watched')
  })

  it('grants everything to a secret key and suggests a restricted key, probing only events and the account', async () => {
    const key = running.sim.createKey({ account: accountId, kind: 'secret', mode: 'test' })
    const before = running.sim.requests.byKey(key)
    const report = await checkKey(key, viaSimulator(running))
    expect(report.ok).toBe(true)
    expect(report.granted).toHaveLength(Object.keys(PERMISSIONS).length)
    expect(report.hints[0]).toMatch(/restricted key with read-only permissions is safer/)
    expect(running.sim.requests.byKey(key) - before).toBe(2)
  })

  it('uses one request per probe-able permission for a restricted key', async () => {
    const key = restricted(ALL_PERMISSIONS)
    await checkKey(key, viaSimulator(running))
    expect(running.sim.requests.byKey(key)).toBe(9)
  })

  it('refuses a publishable key without any request', async () => {
    const key = running.sim.createKey({ account: accountId, kind: 'publishable', mode: 'test' })
    const before = running.sim.requests.total
    const error = await checkKey(key, viaSimulator(running)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidKeyError)
    expect((error as InvalidKeyError).code).toBe('key_publishable')
    expect(running.sim.requests.total).toBe(before)
  })

  it.each([
    ['an unknown key', () => 'rk_test_51NotAKeyTheSimulatorKnows0123456789abcdefghij', 'key_invalid'],
    ['a revoked key', () => revoked(), 'key_invalid'],
    ['an expired key', () => expired(), 'key_expired'],
  ])('refuses %s with a distinct code', async (_name, makeKey, code) => {
    const error = await checkKey(makeKey(), viaSimulator(running)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(InvalidKeyError)
    expect((error as InvalidKeyError).code).toBe(code)
  })

  it('reports a 5xx as Stripe unavailable, never as an invalid key', async () => {
    const key = restricted(ALL_PERMISSIONS)
    const fault = running.sim.faults.add({ key, kind: 'server_error', status: 503, times: 1 })
    const error = await checkKey(key, viaSimulator(running)).catch((e: unknown) => e)
    fault.remove()
    expect(error).toBeInstanceOf(StripeUnavailableError)
    expect((error as StripeUnavailableError).retryable).toBe(true)
  })

  it('retries a 5xx when asked to, and then succeeds', async () => {
    const key = restricted(ALL_PERMISSIONS)
    running.sim.faults.add({ key, kind: 'server_error', status: 500, times: 1 })
    const report = await checkKey(key, { stripe: running.stripe, retry: { retries: 2, baseDelayMs: 1 } })
    expect(report.ok).toBe(true)
  })

  it('reports a permission probe that fails otherwise as unknown, with the reason', async () => {
    const key = restricted(ALL_PERMISSIONS)
    running.sim.faults.add({ key, endpoint: 'GET /v1/payouts', kind: 'server_error', status: 503, times: 1 })
    const report = await checkKey(key, viaSimulator(running))
    const payouts = report.checks.find((c) => c.permission === ('rak_payout_read' satisfies PermissionName))
    expect(payouts?.state).toBe('unknown')
    expect(payouts?.reason).toMatch(/HTTP 503/)
    expect(report.unknown).toEqual(['rak_payout_read'])
    expect(report.ok).toBe(false)
  })
})

describe('checkKey when Stripe is unreachable', () => {
  it('fails with StripeUnavailableError, not an invalid key', async () => {
    const closed = await startSimulator()
    const key = closed.sim.createKey({ account: closed.sim.createAccount().id, kind: 'secret', mode: 'test' })
    await closed.close()
    const error = await checkKey(key, viaSimulator(closed)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(StripeUnavailableError)
    expect((error as Error).message).toContain('Could not reach Stripe')
  })
})

function revoked(): string {
  const key = restricted(ALL_PERMISSIONS)
  running.sim.revokeKey(key)
  return key
}

function expired(): string {
  const key = restricted(ALL_PERMISSIONS)
  running.sim.expireKey(key)
  return key
}
