import { CashNotify, ConfigError, NotifierError, silentLogger } from '@cashnotify/core'
import { sampleEvent, sampleNotification } from '@cashnotify/core/testing'
import { StripeSimulator } from '@cashnotify/stripe-simulator'
import { afterEach, describe, expect, it } from 'vitest'
import { pushNotifier } from '../src/index.js'
import { startTopic, type Topic } from './topic.js'

const context = (signal = new AbortController().signal, attempt = 1) => ({ signal, attempt })

let topics: Topic[] = []
afterEach(async () => {
  await Promise.all(topics.map((topic) => topic.close()))
  topics = []
})

async function topic(): Promise<Topic> {
  const started = await startTopic()
  topics.push(started)
  return started
}

describe('push notifier', () => {
  it('posts the body as plain text, with Title, Tags, Click and the id as headers', async () => {
    const receiver = await topic()
    const notification = sampleNotification(sampleEvent('sale'))
    await pushNotifier({ url: receiver.url, tags: ['moneybag', 'acme'] }).send(notification, context())
    expect(receiver.accepted).toEqual([
      {
        id: 'sale:pi_Sample01',
        title: '[test] $49.00 sale · Acme Inc',
        rawTitle: expect.stringMatching(/^=\?UTF-8\?B\?[A-Za-z0-9+/=]+\?=$/),
        tags: 'moneybag,acme',
        click: 'https://dashboard.stripe.com/test/payments/pi_Sample01',
        contentType: 'text/plain;charset=UTF-8',
        body: 'jane@example.com (US) · Pro plan · fee $1.72',
      },
    ])
  })

  it('sends an ASCII title as it is, and the title as the body when the body is empty', async () => {
    const receiver = await topic()
    const notification = sampleNotification(sampleEvent('payout.paid'), { title: 'Payout', body: '' })
    await pushNotifier({ url: receiver.url }).send(notification, context())
    expect(receiver.accepted[0]).toMatchObject({ rawTitle: 'Payout', tags: 'moneybag', body: 'Payout' })
  })

  it.each([
    { status: 503, headers: { 'retry-after': '30' }, retryable: true, retryAfterMs: 30_000, disable: false },
    { status: 429, headers: {}, retryable: true, retryAfterMs: undefined, disable: false },
    { status: 408, headers: {}, retryable: true, retryAfterMs: undefined, disable: false },
    { status: 410, headers: {}, retryable: false, retryAfterMs: undefined, disable: true },
    {
      status: 400,
      headers: { 'retry-after': '30' },
      retryable: false,
      retryAfterMs: undefined,
      disable: false,
    },
    { status: 403, headers: {}, retryable: false, retryAfterMs: undefined, disable: false },
  ])('tells delivery what a $status answer means', async ({ status, headers, ...expected }) => {
    const receiver = await topic()
    receiver.answer(() => ({ status, headers }))
    const error = await pushNotifier({ url: receiver.url })
      .send(sampleNotification(), context())
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotifierError)
    expect(error).toMatchObject({ notifier: 'push', code: 'notifier_failed', ...expected })
    expect((error as Error).message).toContain(`[push] ${new URL(receiver.url).host} answered ${status}.`)
  })

  it('fails retryably when nothing listens, naming the host and never the topic', async () => {
    const receiver = await topic()
    await receiver.close()
    const error = await pushNotifier({ url: receiver.url })
      .send(sampleNotification(), context())
      .catch((e: unknown) => e)
    expect(error).toMatchObject({ notifier: 'push', retryable: true })
    expect((error as Error).message).toBe(
      `[cashnotify] [push] Could not reach ${new URL(receiver.url).host}. A retry can help.`,
    )
    expect((error as Error).message).not.toContain('acme-sales')
  })

  it('refuses a url that is not http(s) at creation, without echoing it', () => {
    for (const [url, got] of [
      ['ntfy.sh/acme-sales', '"…"'],
      ['ftp://ntfy.sh/acme-sales', '"…"'],
      ['', 'an empty string'],
    ] as const) {
      expect(() => pushNotifier({ url })).toThrow(ConfigError)
      expect(() => pushNotifier({ url })).toThrow(
        `[cashnotify] [push] Expected \`url\` to be an absolute http(s) URL, got ${got}.`,
      )
    }
    expect(() => pushNotifier({ url: 42 } as unknown as { url: string })).toThrow(
      '[cashnotify] [push] Expected `url` to be an absolute http(s) URL, got 42.',
    )
  })
})

describe('push notifier in CashNotify', () => {
  it('pushes a sale made in the Stripe simulator, retrying a 503 with the same id', async () => {
    const receiver = await topic()
    receiver.answer((_, index) =>
      index === 0 ? { status: 503, headers: { 'retry-after': '0' } } : { status: 200 },
    )
    const sim = new StripeSimulator()
    const account = sim.createAccount({ businessName: 'Acme Inc' })
    const server = await sim.listen()
    const cn = new CashNotify({
      stripe: { host: server.host, port: server.port, protocol: 'http' },
      pollInterval: 1_000,
      backfill: 0,
      settle: 0,
      logger: silentLogger,
      notifiers: [{ notifier: pushNotifier({ url: receiver.url }), filter: { types: ['sale'] } }],
    })
    const retried: number[] = []
    cn.on('notification.retry', ({ delayMs }) => void retried.push(delayMs))
    const delivered = new Promise((resolve) => cn.once('notification.delivered', resolve))
    try {
      await cn.addAccount({ apiKey: sim.createKey({ account: account.id, kind: 'secret', mode: 'test' }) })
      await cn.start()
      sim.business(account.id).sale({ amount: 1500, currency: 'usd' })
      await expect(delivered).resolves.toMatchObject({ notifier: 'push', attempt: 2 })
    } finally {
      await cn.close()
      await server.close()
    }
    expect(retried).toEqual([0])
    const [sale] = receiver.accepted
    expect(receiver.requests.map((message) => message.id)).toEqual([sale?.id, sale?.id])
    expect(sale).toMatchObject({
      title: '[test] $15.00 sale · Acme Inc',
      id: expect.stringMatching(/^sale:/),
    })
  })
})
