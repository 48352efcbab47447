import { describe, expect, it } from 'vitest'
import { maskKey } from '../src/ids.js'
import { errorOf, rejection, startSimulator } from './helpers.js'

const MASKED = /^(sk|rk|pk)_(test|live)_\*+[A-Za-z0-9]{4}$/

describe('keys', () => {
  it('issues keys shaped like Stripe keys: prefix, mode, 51, 97 more characters', async () => {
    const { sim, account } = await startSimulator()
    for (const [kind, prefix] of [
      ['secret', 'sk'],
      ['restricted', 'rk'],
      ['publishable', 'pk'],
    ] as const) {
      for (const mode of ['test', 'live'] as const) {
        const key = sim.createKey({ account: account.id, kind, mode })
        expect(key).toMatch(new RegExp(`^${prefix}_${mode}_51[A-Za-z0-9]{97}$`))
      }
    }
  })

  it('masks keys as Stripe does: first 8 characters, one asterisk per hidden character, last 4', () => {
    const key = `rk_test_51${'x'.repeat(93)}abcd`
    expect(maskKey(key)).toBe(`rk_test_${'*'.repeat(95)}abcd`)
    expect(maskKey(key)).toHaveLength(key.length)
    expect(maskKey('short')).toBe('*****')
  })

  it('answers a secret key (Bearer, through stripe-node) and HTTP basic auth with the key as user name', async () => {
    const { stripe, secret, call } = await startSimulator()
    const key = secret()
    const account = await stripe(key).accounts.retrieveCurrent()
    expect(account.business_profile?.name).toBe('Acme Inc.')
    const basic = await call('/v1/balance', { headers: { Authorization: `Basic ${btoa(`${key}:`)}` } })
    expect(basic.status).toBe(200)
    expect(((await basic.json()) as { object: string }).object).toBe('balance')
  })

  it('answers a request without key 401 "You did not provide an API key"', async () => {
    const { call } = await startSimulator()
    const response = await call('/v1/events')
    expect(response.status).toBe(401)
    const error = await errorOf(response)
    expect(error.type).toBe('invalid_request_error')
    expect(error.code).toBeUndefined()
    expect(error.message).toMatch(
      /^You did not provide an API key\. You need to provide your API key in the Authorization header/,
    )
  })

  it('answers an unknown key 401 Invalid API Key with the key masked (StripeAuthenticationError)', async () => {
    const { stripe } = await startSimulator()
    const unknown = `sk_test_51${'Q'.repeat(93)}wxyz`
    const err = await rejection(stripe(unknown).events.list({ limit: 1 }))
    expect(err.type).toBe('StripeAuthenticationError')
    expect(err.statusCode).toBe(401)
    expect(err.rawType).toBe('invalid_request_error')
    expect(err.code).toBeUndefined()
    expect(err.message).toBe(`Invalid API Key provided: ${maskKey(unknown)}`)
    expect(err.message).not.toContain('Q'.repeat(10))
  })

  it('answers a revoked key exactly like an unknown one', async () => {
    const { sim, stripe, secret } = await startSimulator()
    const key = secret()
    await stripe(key).events.list({ limit: 1 })
    sim.revokeKey(key)
    const err = await rejection(stripe(key).events.list({ limit: 1 }))
    expect(err.statusCode).toBe(401)
    expect(err.type).toBe('StripeAuthenticationError')
    expect(err.code).toBeUndefined()
    expect(err.message).toBe(`Invalid API Key provided: ${maskKey(key)}`)
  })

  it('answers an expired key 401 api_key_expired', async () => {
    const { sim, stripe, restricted } = await startSimulator()
    const key = restricted(['rak_event_read'])
    sim.expireKey(key)
    const err = await rejection(stripe(key).events.list({ limit: 1 }))
    expect(err.type).toBe('StripeAuthenticationError')
    expect(err.statusCode).toBe(401)
    expect(err.code).toBe('api_key_expired')
    expect(err.message).toBe(`Expired API Key provided: ${maskKey(key)}`)
    expect(maskKey(key)).toMatch(MASKED)
  })

  it('refuses a publishable key on every endpoint the SDK uses', async () => {
    const { sim, account, stripe } = await startSimulator()
    const client = stripe(sim.createKey({ account: account.id, kind: 'publishable', mode: 'live' }))
    for (const request of [
      client.events.list({ limit: 1 }),
      client.accounts.retrieveCurrent(),
      client.balance.retrieve(),
      client.customers.list({ limit: 1 }),
      client.fileLinks.create({ file: 'file_123' }),
    ]) {
      const err = await rejection(request)
      expect(err.statusCode).toBe(401)
      expect(err.rawType).toBe('invalid_request_error')
      expect(err.message).toMatch(
        /^This API call cannot be made with a publishable API key\. Please use a secret API key\./,
      )
    }
  })

  it('lets a secret key do everything and a test key see only test data', async () => {
    const { sim, account, stripe, secret } = await startSimulator()
    sim.createEvent({
      account: account.id,
      livemode: true,
      type: 'payout.paid',
      object: { id: 'po_1', object: 'payout' },
    })
    const live = await stripe(secret('live')).events.list()
    const test = await stripe(secret('test')).events.list()
    expect(live.data.map((e) => e.type)).toEqual(['payout.paid'])
    expect(live.data[0]?.livemode).toBe(true)
    expect(test.data).toEqual([])
  })

  it('refuses a Stripe-Account header naming another account', async () => {
    const { call, secret } = await startSimulator()
    const response = await call('/v1/balance', {
      key: secret(),
      headers: { 'Stripe-Account': 'acct_someoneElse' },
    })
    expect(response.status).toBe(403)
    expect((await errorOf(response)).message).toMatch(/does not have access to account 'acct_someoneElse'/)
  })

  it('validates the Stripe-Version header and echoes a valid one', async () => {
    const { call, secret } = await startSimulator()
    const key = secret()
    const ok = await call('/v1/balance', { key, headers: { 'Stripe-Version': '2024-06-20' } })
    expect(ok.headers.get('stripe-version')).toBe('2024-06-20')
    const bad = await call('/v1/balance', { key, headers: { 'Stripe-Version': 'yesterday' } })
    expect(bad.status).toBe(400)
    expect((await errorOf(bad)).message).toBe('Invalid Stripe API version: yesterday')
  })

  it('sends Request-Id, Stripe-Version and Content-Type on every answer, errors included', async () => {
    const { call, secret } = await startSimulator()
    for (const response of [await call('/v1/events'), await call('/v1/events', { key: secret() })]) {
      expect(response.headers.get('request-id')).toMatch(/^req_[A-Za-z0-9]{14}$/)
      expect(response.headers.get('stripe-version')).toBe('2026-10-28.endive')
      expect(response.headers.get('content-type')).toBe('application/json')
    }
  })

  it('answers an unknown path or wrong method 404 "Unrecognized request URL"', async () => {
    const { call, secret } = await startSimulator()
    const key = secret()
    const unknown = await call('/v1/xyz', { key })
    expect(unknown.status).toBe(404)
    expect((await errorOf(unknown)).message).toMatch(
      /^Unrecognized request URL \(GET: \/v1\/xyz\)\. Please see https:\/\/stripe\.com\/docs/,
    )
    const wrongMethod = await call('/v1/events', { key, method: 'POST', body: '' })
    expect(wrongMethod.status).toBe(404)
    expect((await errorOf(wrongMethod)).message).toMatch(/^Unrecognized request URL \(POST: \/v1\/events\)/)
  })

  it('throws on misuse of the key API with messages that never show the whole key', async () => {
    const { sim, account, secret } = await startSimulator()
    const key = secret()
    expect(() => sim.setPermissions(key, ['rak_event_read'])).toThrow(
      /Only restricted keys carry permissions/,
    )
    expect(() =>
      sim.createKey({ account: account.id, kind: 'restricted', mode: 'test', permissions: ['events:read'] }),
    ).toThrow(/Expected permissions like 'rak_event_read'/)
    expect(() => sim.createKey({ account: 'acct_nope', kind: 'secret', mode: 'test' })).toThrow(
      /Unknown account 'acct_nope'/,
    )
    const unknown = `sk_test_51${'Z'.repeat(97)}`
    expect(() => sim.revokeKey(unknown)).toThrow(maskKey(unknown))
  })
})
