import { describe, expect, it } from 'vitest'
import { maskKey } from '../src/ids.js'
import { errorOf, rejection, startSimulator } from './helpers.js'

describe('wire details of errors', () => {
  it('masks the key in 403 messages with its last 6 characters and in 401 messages with its last 4', async () => {
    const { sim, stripe, restricted, call, secret } = await startSimulator()
    const key = restricted([])
    const denied = await rejection(stripe(key).customers.list())
    expect(denied.statusCode).toBe(403)
    expect(denied.message).toContain(`'rk_test_${'*'.repeat(key.length - 14)}${key.slice(-6)}'`)
    expect(maskKey(key, 6)).toHaveLength(key.length)
    const owner = secret()
    const otherAccount = await call('/v1/balance', {
      key: owner,
      headers: { 'Stripe-Account': 'acct_other' },
    })
    expect(otherAccount.status).toBe(403)
    expect((await errorOf(otherAccount)).message).toContain(`'${maskKey(owner, 6)}'`)
    expect(maskKey(owner, 6).endsWith(owner.slice(-6))).toBe(true)
    sim.revokeKey(key)
    const revoked = await rejection(stripe(key).customers.list())
    expect(revoked.statusCode).toBe(401)
    expect(revoked.message).toBe(
      `Invalid API Key provided: rk_test_${'*'.repeat(key.length - 12)}${key.slice(-4)}`,
    )
  })

  it('answers every 401 with WWW-Authenticate: Basic realm="Stripe", and no other status', async () => {
    const { sim, account, call, secret, restricted } = await startSimulator()
    const expired = restricted(['rak_event_read'])
    sim.expireKey(expired)
    const publishable = sim.createKey({ account: account.id, kind: 'publishable', mode: 'test' })
    const unauthorized = [
      await call('/v1/events'),
      await call('/v1/events', { key: `sk_test_51${'x'.repeat(97)}` }),
      await call('/v1/events', { key: expired }),
      await call('/v1/events', { key: publishable }),
    ]
    for (const response of unauthorized) {
      expect(response.status).toBe(401)
      expect(response.headers.get('www-authenticate')).toBe('Basic realm="Stripe"')
    }
    const others = [
      await call('/v1/customers', { key: restricted([]) }),
      await call('/v1/nope', { key: secret() }),
    ]
    for (const response of others) expect(response.headers.get('www-authenticate')).toBeNull()
  })
})
