import type { DomainEvent, DomainEventType, Notification } from '@cashnotify/core/notifier'
import { DOMAIN_EVENT_TYPES, sampleAccount, sampleEvent, sampleNotification } from '@cashnotify/core/testing'
import { Webhook } from 'standardwebhooks'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type WebhookNotifierOptions, webhookNotifier } from '../src/index.js'
import { type Receiver, startReceiver } from './receiver.js'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const context = () => ({ signal: new AbortController().signal, attempt: 1 })

let endpoint: Receiver
beforeEach(async () => {
  endpoint = await startReceiver()
})
afterEach(async () => {
  await endpoint.close()
})

/** Sends one notification and returns the parsed body and headers the receiver got. */
async function deliver(notification: Notification, options: Omit<WebhookNotifierOptions, 'url'>) {
  await webhookNotifier({ url: endpoint.url, ...options }).send(notification, context())
  const request = endpoint.requests.at(-1)
  if (!request) return expect.unreachable('no request')
  return {
    body: JSON.parse(request.body) as Record<string, unknown>,
    headers: request.headers,
    raw: request.body,
  }
}

/** A copy without some fields (exactOptionalPropertyTypes: absent, not undefined). */
function omit<T extends object, K extends keyof T>(value: T, ...keys: K[]): Omit<T, K> {
  const copy = { ...value }
  for (const key of keys) delete copy[key]
  return copy
}

const LOGO = { source: 'stripe', url: 'https://files.stripe.com/links/logo' } as const

describe('format: slack', () => {
  it.each(DOMAIN_EVENT_TYPES)('is an incoming-webhook message with blocks for %s', async (type) => {
    const notification = sampleNotification(sampleEvent(type))
    const { body } = await deliver(notification, { format: 'slack' })
    expect(body).toEqual({
      text: `${notification.title}: ${notification.body}`,
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: notification.title, emoji: true } },
        { type: 'section', text: { type: 'plain_text', text: notification.body, emoji: true } },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Acme Inc · test mode' }] },
        {
          type: 'actions',
          elements: [
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Open in Stripe' },
              url: notification.url,
              action_id: 'cashnotify_open_dashboard',
            },
          ],
        },
      ],
    })
  })

  it('has no button without a dashboard URL, and shows the logo and live mode', async () => {
    const event = { ...sampleEvent('sale'), account: sampleAccount({ logo: LOGO, mode: 'live' }) }
    const notification = omit(sampleNotification(event), 'url')
    const { body } = await deliver(notification, { format: 'slack' })
    const blocks = body.blocks as Array<{ type: string; elements?: unknown[] }>
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'context'])
    expect(blocks[2]?.elements).toEqual([
      { type: 'image', image_url: LOGO.url, alt_text: 'Acme Inc' },
      { type: 'mrkdwn', text: 'Acme Inc · live' },
    ])
  })

  it('escapes Slack control characters and keeps the header within 150 characters', async () => {
    const notification = sampleNotification(sampleEvent('sale'), {
      title: `<!channel> ${'A'.repeat(200)}`,
      body: 'Tom & Jerry <tom@example.com>',
      account: sampleAccount({ name: 'R&D <Labs>' }),
      event: { ...sampleEvent('sale'), account: sampleAccount({ name: 'R&D <Labs>' }) },
    })
    const { body } = await deliver(notification, { format: 'slack' })
    expect(body.text).toBe(`&lt;!channel&gt; ${'A'.repeat(200)}: Tom &amp; Jerry &lt;tom@example.com&gt;`)
    const [header, section, contextBlock] = body.blocks as Array<{
      text?: { text: string }
      elements?: unknown
    }>
    expect(header?.text?.text).toHaveLength(150)
    // plain_text is shown as is by Slack: no escaping needed, no mention possible.
    expect(section?.text?.text).toBe('Tom & Jerry <tom@example.com>')
    expect(contextBlock?.elements).toEqual([{ type: 'mrkdwn', text: 'R&amp;D &lt;Labs&gt; · test mode' }])
  })

  it('is not signed without a secret, and signed (verifiably) with one', async () => {
    const notification = sampleNotification()
    const unsigned = await deliver(notification, { format: 'slack' })
    expect(unsigned.headers).not.toHaveProperty('webhook-signature')
    const signed = await deliver(notification, { format: 'slack', secret: SECRET })
    expect(new Webhook(SECRET).verify(signed.raw, { ...signed.headers })).toEqual(signed.body)
  })
})

const GREEN = 0x22c55e
const AMBER = 0xf59e0b
const RED = 0xef4444
const BLURPLE = 0x635bff
const BLUE = 0x3b82f6
const GREY = 0x6b7280

/** The colour and fields each sample event gets. */
const DISCORD: Record<DomainEventType, { color: number; fields: Array<[string, string]> }> = {
  sale: {
    color: GREEN,
    fields: [
      ['Amount', '$49.00'],
      ['Fee', '$1.72'],
      ['Net', '$47.28'],
      ['Customer', 'jane@example.com'],
    ],
  },
  'sale.updated': {
    color: GREEN,
    fields: [
      ['Amount', '$49.00'],
      ['Fee', '$1.72'],
      ['Net', '$47.28'],
      ['Customer', 'jane@example.com'],
    ],
  },
  refund: {
    color: AMBER,
    fields: [
      ['Refunded', '$10.00'],
      ['Reason', 'requested_by_customer'],
      ['Customer', 'jane@example.com'],
    ],
  },
  'payment.failed': {
    color: RED,
    fields: [
      ['Amount', '$49.00'],
      ['Decline', 'insufficient_funds'],
      ['Customer', 'jane@example.com'],
    ],
  },
  'dispute.created': {
    color: RED,
    fields: [
      ['Amount', '$49.00'],
      ['Reason', 'fraudulent'],
      ['Evidence due', '<t:1795132800:D>'],
    ],
  },
  'dispute.closed': {
    color: GREEN,
    fields: [
      ['Amount', '$49.00'],
      ['Outcome', 'won'],
    ],
  },
  'subscription.created': {
    color: BLURPLE,
    fields: [
      ['Plan', '$49.00 / month'],
      ['Customer', 'jane@example.com'],
    ],
  },
  'subscription.canceled': {
    color: GREY,
    fields: [
      ['Plan', '$49.00 / month'],
      ['Customer', 'jane@example.com'],
      ['Ended', '<t:1793620800:D>'],
    ],
  },
  'subscription.trial_will_end': {
    color: AMBER,
    fields: [
      ['Plan', '$49.00 / month'],
      ['Customer', 'jane@example.com'],
      ['Trial ends', '<t:1793880000:D>'],
    ],
  },
  'payout.paid': {
    color: BLUE,
    fields: [
      ['Amount', '$1,200.00'],
      ['Arrival', '<t:1793750400:D>'],
    ],
  },
  'payout.failed': {
    color: RED,
    fields: [
      ['Amount', '$1,200.00'],
      ['Failure', 'The bank account has been closed.'],
    ],
  },
}

describe('format: discord', () => {
  it.each(DOMAIN_EVENT_TYPES)('is a webhook message with one embed for %s', async (type) => {
    const notification = sampleNotification(sampleEvent(type))
    const { body } = await deliver(notification, { format: 'discord' })
    const expected = DISCORD[type]
    expect(body).toEqual({
      embeds: [
        {
          title: notification.title,
          description: notification.body,
          url: notification.url,
          color: expected.color,
          timestamp: '2026-11-02T12:00:00.000Z',
          footer: { text: 'Acme Inc · test mode' },
          fields: expected.fields.map(([name, value]) => ({ name, value, inline: true })),
        },
      ],
    })
  })

  it('is red for a lost dispute, green for a won one', async () => {
    const lost = { ...sampleEvent('dispute.closed'), outcome: 'lost' }
    const { body } = await deliver(sampleNotification(lost), { format: 'discord' })
    expect((body.embeds as Array<{ color: number }>)[0]?.color).toBe(RED)
  })

  it('posts under `username`, with the logo in the footer, and no url or fields when there are none', async () => {
    const bare: DomainEvent = {
      ...omit(sampleEvent('subscription.created'), 'customer'),
      account: sampleAccount({ logo: LOGO }),
      subscription: { id: 'sub_Bare' },
    }
    const { body } = await deliver(omit(sampleNotification(bare), 'url'), {
      format: 'discord',
      username: 'Sales',
    })
    expect(body.username).toBe('Sales')
    const [embed] = body.embeds as Array<Record<string, unknown>>
    expect(embed?.footer).toEqual({ text: 'Acme Inc · test mode', icon_url: LOGO.url })
    expect(embed).not.toHaveProperty('url')
    expect(embed?.fields).toEqual([{ name: 'Plan', value: 'sub_Bare', inline: true }])
  })

  it('keeps the title within Discord limits', async () => {
    const notification = sampleNotification(sampleEvent('sale'), { title: 'T'.repeat(300) })
    const { body } = await deliver(notification, { format: 'discord' })
    expect((body.embeds as Array<{ title: string }>)[0]?.title).toHaveLength(256)
  })

  it('is not signed without a secret, and signed (verifiably) with one', async () => {
    const unsigned = await deliver(sampleNotification(), { format: 'discord' })
    expect(unsigned.headers).not.toHaveProperty('webhook-signature')
    const signed = await deliver(sampleNotification(), { format: 'discord', secret: SECRET })
    expect(new Webhook(SECRET).verify(signed.raw, { ...signed.headers })).toEqual(signed.body)
  })
})
