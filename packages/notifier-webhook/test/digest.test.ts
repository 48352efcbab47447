import { NotifierError } from '@cashnotify/core/notifier'
import {
  sampleAccount,
  sampleDigest,
  sampleDigestFigures,
  sampleDigestNotification,
} from '@cashnotify/core/testing'
import { Webhook } from 'standardwebhooks'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  WEBHOOK_PAYLOAD_VERSION,
  type WebhookNotifierOptions,
  webhookDigestPayloadSchema,
  webhookNotifier,
  webhookPayloadSchema,
} from '../src/index.js'
import { type Receiver, startReceiver } from './receiver.js'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const context = () => ({ signal: new AbortController().signal, attempt: 1 })

let endpoint: Receiver
beforeEach(async () => {
  endpoint = await startReceiver({ verifyWith: SECRET })
})
afterEach(async () => {
  await endpoint.close()
})

function notifier(options: Omit<WebhookNotifierOptions, 'url' | 'secret'> = {}) {
  const created = webhookNotifier({ url: endpoint.url, secret: SECRET, ...options })
  if (!created.sendDigest) throw new Error('the webhook notifier has no sendDigest')
  return { sendDigest: created.sendDigest.bind(created) }
}

/** The body of the last request, once its signature verified with `standardwebhooks`. */
function verifiedBody(): Record<string, unknown> {
  const request = endpoint.requests.at(-1)
  if (!request) return expect.unreachable('no request')
  expect(endpoint.unverified).toEqual([])
  return new Webhook(SECRET).verify(request.body, { ...request.headers }) as Record<string, unknown>
}

describe('format: json, a digest', () => {
  it('is a signed, versioned `digest` payload whose webhook-id is the digest id, on every retry', async () => {
    const digest = sampleDigestNotification()
    const webhook = notifier()
    await webhook.sendDigest(digest, context())
    await webhook.sendDigest(digest, { ...context(), attempt: 2 })
    expect(endpoint.accepted).toEqual([digest.id, digest.id])
    const body = verifiedBody()
    const payload = webhookDigestPayloadSchema.parse(body)
    // Strict equality after parsing: the schema strips nothing the notifier sends.
    expect(payload).toEqual(body)
    expect(payload).toMatchObject({
      version: WEBHOOK_PAYLOAD_VERSION,
      id: 'digest:daily:acct_1SampleAcmeInc00/test:2026-11-03T05:00:00.000Z',
      type: 'digest',
      createdAt: '2026-11-04T14:00:00.000Z',
      livemode: false,
      account: { id: 'acct_1SampleAcmeInc00', name: 'Acme Inc', mode: 'test' },
      title: 'Acme Inc · Tuesday, Nov 3: $1,240.00 from 18 sales',
      body: digest.body,
    })
    expect(payload.data.period).toEqual({
      kind: 'day',
      start: '2026-11-03T05:00:00.000Z',
      end: '2026-11-04T05:00:00.000Z',
      timeZone: 'America/New_York',
    })
    const [usd, eur] = payload.data.currencies
    expect(usd?.current).toMatchObject({ currency: 'usd', gross: 124_000, net: 114_964, sales: 18 })
    expect(usd?.current.customers).toEqual({ total: 15, new: 9, returning: 6 })
    expect(usd?.current.subscriptions).toEqual({ started: 4, canceled: 1, mrrChange: 14_700 })
    expect(usd?.current.topProducts[0]).toEqual({
      name: 'Pro plan',
      productId: 'prod_Sample01',
      amount: 68_600,
      quantity: 14,
    })
    expect(usd?.current.series).toHaveLength(24)
    expect(usd?.previous.gross).toBe(111_000)
    expect(eur?.current.gross).toBe(9800)
    expect(payload.data).not.toHaveProperty('total')
    // It is not a notification: the notification schema refuses it.
    expect(webhookPayloadSchema.safeParse(body).success).toBe(false)
  })

  it('carries the converted total, and no account for a digest of every account', async () => {
    const accounts = [sampleAccount(), sampleAccount({ id: 'acct_2', name: 'Beta LLC' })]
    const total = {
      current: sampleDigestFigures('usd', { gross: 134_780 }),
      previous: sampleDigestFigures('usd'),
    }
    const { account: _, ...all } = sampleDigest({ scope: 'all', accounts, total })
    await notifier().sendDigest(sampleDigestNotification(all), context())
    const payload = webhookDigestPayloadSchema.parse(verifiedBody())
    expect(payload).not.toHaveProperty('account')
    expect(payload.data.scope).toBe('all')
    expect(payload.data.accounts.map((a) => a.name)).toEqual(['Acme Inc', 'Beta LLC'])
    expect(payload.data.total?.current.gross).toBe(134_780)
  })

  it('fails like a notification: a 503 is retryable', async () => {
    endpoint.fail()
    const failing = notifier().sendDigest(sampleDigestNotification(), context())
    await expect(failing).rejects.toBeInstanceOf(NotifierError)
    await expect(failing).rejects.toMatchObject({ retryable: true })
  })
})

describe('format: slack, a digest', () => {
  it('has the title as header and a section with gross, net, sales and the change per currency', async () => {
    await notifier({ format: 'slack' }).sendDigest(sampleDigestNotification(), context())
    const body = verifiedBody()
    expect(body.blocks).toEqual([
      {
        type: 'header',
        text: { type: 'plain_text', text: 'Acme Inc · Tuesday, Nov 3: $1,240.00 from 18 sales', emoji: true },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*USD*\nGross $1,240.00 (+12% vs $1,110.00)\nNet $1,149.64 (+12%)\nSales 18 (+2)',
        },
      },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*EUR*\nGross €98.00 (+100% vs €49.00)\nNet €94.80 (+100%)\nSales 2 (+1)',
        },
      },
      {
        type: 'context',
        elements: [{ type: 'mrkdwn', text: 'Tue, Nov 3, 2026 · America/New_York · Acme Inc · test mode' }],
      },
    ])
    expect(body.text).toMatch(/^Acme Inc · Tuesday, Nov 3: \$1,240\.00 from 18 sales: Net \$1,149\.64/)
  })

  it('escapes mrkdwn in names and says when the period was empty', async () => {
    const account = sampleAccount({ name: '<!channel> R&D' })
    const empty = sampleDigest({ account, accounts: [account], empty: true, currencies: [] })
    await notifier({ format: 'slack' }).sendDigest(
      sampleDigestNotification(empty, { title: '<!channel> R&D · Tuesday: no sales' }),
      context(),
    )
    const body = verifiedBody()
    const blocks = body.blocks as Array<{ type: string; text?: { text: string }; elements?: unknown }>
    expect(blocks.map((b) => b.type)).toEqual(['header', 'section', 'context'])
    expect(blocks[1]?.text?.text).toBe('No sales this day.')
    expect(blocks[2]?.elements).toEqual([
      { type: 'mrkdwn', text: 'Tue, Nov 3, 2026 · America/New_York · &lt;!channel&gt; R&amp;D · test mode' },
    ])
    expect(body.text).not.toContain('<!channel>')
  })
})

describe('format: discord, a digest', () => {
  it('is one embed with a field of totals per currency and the period in the footer', async () => {
    await notifier({ format: 'discord', username: 'CashNotify' }).sendDigest(
      sampleDigestNotification(),
      context(),
    )
    const body = verifiedBody()
    expect(body).toEqual({
      username: 'CashNotify',
      embeds: [
        {
          title: 'Acme Inc · Tuesday, Nov 3: $1,240.00 from 18 sales',
          description: sampleDigestNotification().body,
          color: 0x635bff,
          timestamp: '2026-11-04T14:00:00.000Z',
          footer: { text: 'Tue, Nov 3, 2026 · America/New_York · Acme Inc · test mode' },
          fields: [
            {
              name: 'USD',
              value: 'Gross $1,240.00 (+12% vs $1,110.00)\nNet $1,149.64 (+12%)\nSales 18 (+2)',
              inline: true,
            },
            {
              name: 'EUR',
              value: 'Gross €98.00 (+100% vs €49.00)\nNet €94.80 (+100%)\nSales 2 (+1)',
              inline: true,
            },
          ],
        },
      ],
    })
  })

  it('lists ten currencies and counts the others, then the converted total', async () => {
    const codes = ['usd', 'eur', 'gbp', 'jpy', 'cad', 'aud', 'chf', 'sek', 'nok', 'dkk', 'pln', 'czk']
    const currencies = codes.map((code, i) => ({
      current: sampleDigestFigures(code, { gross: 10_000 - i * 100, sales: 1 }),
      previous: sampleDigestFigures(code),
    }))
    const total = {
      current: sampleDigestFigures('usd', { gross: 200_000, sales: 12 }),
      previous: sampleDigestFigures('usd'),
    }
    await notifier({ format: 'discord' }).sendDigest(
      sampleDigestNotification(sampleDigest({ currencies, total })),
      context(),
    )
    const [embed] = (verifiedBody().embeds as Array<{ fields: Array<{ name: string; value: string }> }>) ?? []
    expect(embed?.fields.map((f) => f.name)).toEqual([
      ...codes.slice(0, 10).map((code) => code.toUpperCase()),
      'All currencies (USD)',
      'More',
    ])
    expect(embed?.fields.at(-2)?.value).toBe(
      'Gross $2,000.00 (new vs $0.00)\nNet $2,000.00 (new)\nSales 12 (+12)',
    )
    expect(embed?.fields.at(-1)?.value).toBe('…and 2 more currencies.')
  })
})
