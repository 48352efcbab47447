import type Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { maskKey } from '../src/ids.js'
import { errorOf, rejection } from './helpers.js'
import { START, startWebhookSimulator } from './webhook-receiver.js'

/** The keys of Stripe's own `webhook_endpoint` fixture (fixtures3.json), besides `secret` on creation. */
const FIXTURE_KEYS = [
  'api_version',
  'application',
  'created',
  'description',
  'enabled_events',
  'id',
  'livemode',
  'metadata',
  'object',
  'status',
  'url',
]

describe('/v1/webhook_endpoints', () => {
  it('creates, lists, retrieves, updates and deletes endpoints as stripe-node expects, the secret on creation only', async () => {
    const { stripe, secret } = await startWebhookSimulator()
    const client = stripe(secret())
    const created = await client.webhookEndpoints.create({
      url: 'https://example.com/hooks',
      enabled_events: ['charge.succeeded', 'charge.refunded'],
      description: 'Sales',
      metadata: { team: 'growth' },
      api_version: '2025-03-31.basil',
    })
    expect(created).toMatchObject({
      object: 'webhook_endpoint',
      url: 'https://example.com/hooks',
      enabled_events: ['charge.succeeded', 'charge.refunded'],
      status: 'enabled',
      livemode: false,
      application: null,
      api_version: '2025-03-31.basil',
      created: START / 1000,
      metadata: { team: 'growth' },
    })
    expect(created.id).toMatch(/^we_[A-Za-z0-9]{24}$/)
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9]{32}$/)
    expect(Object.keys(created).sort()).toEqual([...FIXTURE_KEYS, 'secret'].sort())
    const retrieved = await client.webhookEndpoints.retrieve(created.id)
    expect(Object.keys(retrieved).sort()).toEqual(FIXTURE_KEYS)
    expect((await client.webhookEndpoints.list()).data.map((e) => e.id)).toEqual([created.id])

    const updated = await client.webhookEndpoints.update(created.id, {
      disabled: true,
      description: '',
      metadata: { team: '', owner: 'ops' },
      enabled_events: ['*'],
    })
    expect(updated).toMatchObject({ status: 'disabled', description: null, metadata: { owner: 'ops' } })
    expect(updated.enabled_events).toEqual(['*'])
    expect(updated.secret).toBeUndefined()
    expect((await client.webhookEndpoints.update(created.id, { disabled: false })).status).toBe('enabled')

    expect(await client.webhookEndpoints.del(created.id)).toMatchObject({
      id: created.id,
      object: 'webhook_endpoint',
      deleted: true,
    })
    const gone = await rejection(client.webhookEndpoints.retrieve(created.id))
    expect(gone).toMatchObject({ statusCode: 404, code: 'resource_missing', param: 'id' })
    expect(gone.message).toBe(`No such webhook endpoint: '${created.id}'`)
  })

  it('keeps test and live endpoints apart, as it keeps every object of the two modes', async () => {
    const { stripe, secret } = await startWebhookSimulator()
    const live = await stripe(secret('live')).webhookEndpoints.create({
      url: 'https://example.com/live',
      enabled_events: ['*'],
    })
    expect(live.livemode).toBe(true)
    const test = stripe(secret('test'))
    expect((await test.webhookEndpoints.list()).data).toEqual([])
    const err = await rejection(test.webhookEndpoints.retrieve(live.id))
    expect(err.message).toContain('a similar object exists in live mode')
  })

  it('refuses unknown and malformed parameters with 400s, as the rest of the API does', async () => {
    const { call, secret } = await startWebhookSimulator()
    const key = secret()
    const post = (path: string, body: string) => call(path, { key, method: 'POST', body })
    const cases: [Response, Record<string, unknown>][] = [
      [
        await post('/v1/webhook_endpoints', 'url=https://a.example&enabled_events[]=*&foo=1'),
        { code: 'parameter_unknown', param: 'foo' },
      ],
      [
        await post('/v1/webhook_endpoints', 'url=https://a.example&enabled_events[]=*&disabled=true'),
        { code: 'parameter_unknown', param: 'disabled' },
      ],
      [
        await post('/v1/webhook_endpoints', 'enabled_events[]=*'),
        { code: 'parameter_missing', param: 'url', message: 'Missing required param: url.' },
      ],
      [
        await post('/v1/webhook_endpoints', 'url=https://a.example'),
        { code: 'parameter_missing', param: 'enabled_events' },
      ],
      [
        await post('/v1/webhook_endpoints', 'url=notaurl&enabled_events[]=*'),
        { code: 'parameter_invalid', param: 'url', message: 'Invalid URL: notaurl' },
      ],
      [
        await post('/v1/webhook_endpoints', 'url=https://a.example&enabled_events[]=Nope'),
        { param: 'enabled_events[0]' },
      ],
      [
        await post('/v1/webhook_endpoints', 'url=https://a.example&enabled_events[]=*&connect=true'),
        { param: 'connect' },
      ],
      [
        await post('/v1/webhook_endpoints', 'url=https://a.example&enabled_events[]=*&expand[]=url'),
        { message: 'This property cannot be expanded (url).' },
      ],
      [
        await call('/v1/webhook_endpoints?created=1', { key }),
        { code: 'parameter_unknown', param: 'created' },
      ],
      [
        await call('/v1/webhook_endpoints?limit=0', { key }),
        { code: 'parameter_invalid_integer', param: 'limit' },
      ],
    ]
    for (const [response, error] of cases) {
      expect(response.status).toBe(400)
      expect(await errorOf(response)).toMatchObject({ type: 'invalid_request_error', ...error })
    }
  })

  it('allows 16 endpoints per account and mode, as Stripe does', async () => {
    const { sim, account, stripe, secret } = await startWebhookSimulator()
    for (let i = 0; i < 16; i++)
      sim.addWebhookEndpoint({ account: account.id, url: `https://example.com/${i}` })
    const err = await rejection(
      stripe(secret()).webhookEndpoints.create({ url: 'https://example.com/17', enabled_events: ['*'] }),
    )
    expect(err).toMatchObject({ statusCode: 400, type: 'StripeInvalidRequestError' })
    expect(err.message).toContain('maximum of 16 test mode webhook endpoints')
    const live = await stripe(secret('live')).webhookEndpoints.create({
      url: 'https://example.com/live',
      enabled_events: ['*'],
    })
    expect(live.status).toBe('enabled')
  })
})

describe('permissions of /v1/webhook_endpoints', () => {
  const WRITES: readonly [string, (s: Stripe, id: string) => Promise<unknown>][] = [
    ['create', (s) => s.webhookEndpoints.create({ url: 'https://example.com', enabled_events: ['*'] })],
    ['update', (s, id) => s.webhookEndpoints.update(id, { disabled: true })],
    ['delete', (s, id) => s.webhookEndpoints.del(id)],
  ]
  const READS: readonly [string, (s: Stripe, id: string) => Promise<unknown>][] = [
    ['list', (s) => s.webhookEndpoints.list()],
    ['retrieve', (s, id) => s.webhookEndpoints.retrieve(id)],
  ]

  it.each(WRITES)(
    'refuses %s to a restricted key without rak_webhook_write (403 naming it)',
    async (_, write) => {
      const { sim, account, stripe, restricted } = await startWebhookSimulator()
      const { id } = sim.addWebhookEndpoint({ account: account.id, url: 'https://example.com' })
      const key = restricted(['rak_webhook_read', 'rak_event_read'])
      const err = await rejection(write(stripe(key), id))
      expect(err).toMatchObject({ type: 'StripePermissionError', statusCode: 403 })
      expect(err.message).toBe(
        `The provided key '${maskKey(key, 6)}' does not have the required permissions for this endpoint on account '${account.id}'. ` +
          "Having the 'rak_webhook_write' permission would allow this request to continue.",
      )
      await expect(write(stripe(restricted(['rak_webhook_write'])), id)).resolves.toBeDefined()
    },
  )

  it.each(READS)(
    'refuses %s to a restricted key without rak_webhook_read; rak_webhook_write implies it',
    async (_, read) => {
      const { sim, account, stripe, restricted } = await startWebhookSimulator()
      const { id } = sim.addWebhookEndpoint({ account: account.id, url: 'https://example.com' })
      const err = await rejection(read(stripe(restricted(['rak_event_read'])), id))
      expect(err).toMatchObject({ type: 'StripePermissionError', statusCode: 403 })
      expect(err.message).toContain("Having the 'rak_webhook_read' permission")
      await expect(read(stripe(restricted(['rak_webhook_read'])), id)).resolves.toBeDefined()
      await expect(read(stripe(restricted(['rak_webhook_write'])), id)).resolves.toBeDefined()
    },
  )
})
