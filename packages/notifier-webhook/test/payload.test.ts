import type { DomainEvent, SaleEvent } from '@cashnotify/core/notifier'
import { DOMAIN_EVENT_TYPES, sampleAccount, sampleEvent, sampleNotification } from '@cashnotify/core/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  WEBHOOK_PAYLOAD_VERSION,
  type WebhookNotifierOptions,
  type WebhookPayload,
  webhookNotifier,
  webhookPayloadSchema,
} from '../src/index.js'
import { type Receiver, startReceiver } from './receiver.js'

const context = () => ({ signal: new AbortController().signal, attempt: 1 })

let endpoint: Receiver
beforeEach(async () => {
  endpoint = await startReceiver()
})
afterEach(async () => {
  await endpoint.close()
})

/** Sends one event through a `json` notifier and returns the body the receiver got, parsed. */
async function deliver(
  event: DomainEvent,
  options: Partial<WebhookNotifierOptions> = {},
): Promise<Record<string, unknown>> {
  await webhookNotifier({ url: endpoint.url, ...options }).send(sampleNotification(event), context())
  const request = endpoint.requests.at(-1)
  expect(request?.headers['content-type']).toBe('application/json')
  return JSON.parse(request?.body ?? 'null') as Record<string, unknown>
}

describe('the json payload', () => {
  it.each(DOMAIN_EVENT_TYPES)(
    'validates against webhookPayloadSchema, field for field, for %s',
    async (type) => {
      const body = await deliver(sampleEvent(type))
      const parsed = webhookPayloadSchema.parse(body)
      // Nothing stripped: the schema describes every field that is sent.
      expect(parsed).toEqual(body)
      expect(parsed.type).toBe(type)
      expect(parsed.data.type).toBe(type)
    },
  )

  it('carries the documented envelope', async () => {
    const event = sampleEvent('sale')
    const body = await deliver(event)
    expect(body).toEqual({
      version: '2026-11-01',
      id: 'sale:pi_Sample01',
      type: 'sale',
      createdAt: '2026-11-02T12:00:00.000Z',
      livemode: false,
      account: { id: 'acct_1SampleAcmeInc00', name: 'Acme Inc', mode: 'test' },
      title: '[test] $49.00 sale · Acme Inc',
      body: 'jane@example.com (US) · Pro plan · fee $1.72',
      url: 'https://dashboard.stripe.com/test/payments/pi_Sample01',
      amount: { amount: 4900, currency: 'usd', formatted: '$49.00' },
      data: expect.objectContaining({ id: 'sale:pi_Sample01', type: 'sale' }),
    })
    expect(WEBHOOK_PAYLOAD_VERSION).toBe('2026-11-01')
  })

  it('serialises the domain event as `data`, dates as ISO strings', async () => {
    const body = await deliver(sampleEvent('dispute.created'))
    expect(body.data).toEqual({
      id: 'dispute.created:dp_Sample01',
      type: 'dispute.created',
      account: { id: 'acct_1SampleAcmeInc00', name: 'Acme Inc', mode: 'test' },
      livemode: false,
      createdAt: '2026-11-02T12:00:00.000Z',
      backfill: false,
      dashboardUrl: 'https://dashboard.stripe.com/test/payments/dp_Sample01',
      unavailable: {},
      amount: { amount: 4900, currency: 'usd', formatted: '$49.00' },
      reason: 'fraudulent',
      evidenceDueBy: '2026-11-20T00:00:00.000Z',
      chargeId: 'ch_Sample01',
    })
  })

  it('leaves out `url` and `amount` when the notification has none', async () => {
    const { dashboardUrl: _, ...created } = sampleEvent('subscription.created')
    const body = await deliver({ ...created, subscription: { id: 'sub_Sample01', status: 'active' } })
    expect(body).not.toHaveProperty('url')
    expect(body).not.toHaveProperty('amount')
    expect(webhookPayloadSchema.safeParse(body).success).toBe(true)
  })

  it('sends a logo URL, never logo bytes', async () => {
    const withUrl = { source: 'stripe', url: 'https://files.stripe.com/links/logo' } as const
    const event = { ...sampleEvent('sale'), account: sampleAccount({ logo: withUrl, mode: 'live' }) }
    const body = await deliver(event)
    expect(body.account).toEqual({
      id: 'acct_1SampleAcmeInc00',
      name: 'Acme Inc',
      mode: 'live',
      logoUrl: 'https://files.stripe.com/links/logo',
    })
    // The sample account's generic logo has bytes: none of them travel.
    const generic = await deliver(sampleEvent('sale'))
    expect(JSON.stringify(generic)).not.toMatch(/"logo"|"data":\{"0"/)
  })

  describe('raw Stripe events', () => {
    const stripeEvent = {
      id: 'evt_Sample01',
      object: 'event',
      type: 'payment_intent.succeeded',
      data: { object: { id: 'pi_Sample01', receipt_email: 'jane@example.com' } },
    } as unknown as SaleEvent['stripeEvents'][number]
    const event: SaleEvent = { ...sampleEvent('sale'), stripeEvents: [stripeEvent] }

    it('drops them by default', async () => {
      const body = await deliver(event)
      expect(body.data).not.toHaveProperty('stripeEvents')
      expect(JSON.stringify(body)).not.toContain('evt_Sample01')
    })

    it('includes them with `includeStripeEvents`, and the schema keeps them', async () => {
      const body = await deliver(event, { includeStripeEvents: true })
      expect((body.data as Record<string, unknown>).stripeEvents).toEqual([stripeEvent])
      expect(webhookPayloadSchema.parse(body)).toEqual(body)
    })
  })

  describe('webhookPayloadSchema on the receiving side', () => {
    let sale: Record<string, unknown>
    beforeEach(async () => {
      sale = await deliver(sampleEvent('sale'))
    })

    it('narrows `data` by `type`', () => {
      const payload: WebhookPayload = webhookPayloadSchema.parse(sale)
      if (payload.type !== 'sale') return expect.unreachable('a sale')
      expect(payload.data.amount.formatted).toBe('$49.00')
      expect(payload.data.products[0]?.name).toBe('Pro plan')
    })

    it('refuses another version, a type that does not match its data, and a malformed date', () => {
      expect(webhookPayloadSchema.safeParse({ ...sale, version: '2025-01-01' }).success).toBe(false)
      expect(webhookPayloadSchema.safeParse({ ...sale, type: 'refund' }).success).toBe(false)
      expect(webhookPayloadSchema.safeParse({ ...sale, createdAt: 'yesterday' }).success).toBe(false)
      expect(webhookPayloadSchema.safeParse({ ...sale, type: 'customer.created' }).success).toBe(false)
    })

    it('strips fields it does not know instead of refusing them (additions keep the version)', () => {
      const parsed = webhookPayloadSchema.parse({ ...sale, addedLater: true })
      expect(parsed).not.toHaveProperty('addedLater')
    })
  })
})
