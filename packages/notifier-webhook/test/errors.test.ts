import { containsSecret, NotifierError } from '@cashnotify/core/notifier'
import { sampleNotification } from '@cashnotify/core/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type WebhookNotifierOptions, webhookNotifier } from '../src/index.js'
import { closedPortUrl, type Receiver, type Reply, startReceiver } from './receiver.js'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
/** Shaped like a Slack incoming-webhook path: the path is the credential. */
const SECRET_PATH = '/services/T0SECRET0/B0SECRET0/xoxSecretPathToken1234567'
const NOW = Date.parse('2026-11-02T12:00:00Z')

const context = (signal = new AbortController().signal) => ({ signal, attempt: 1 })

let endpoint: Receiver
beforeEach(async () => {
  endpoint = await startReceiver({ path: SECRET_PATH })
})
afterEach(async () => {
  await endpoint.close()
})

/** Sends once, answered with `reply`, and returns the NotifierError it rejects with. */
async function failure(
  reply: Reply | undefined,
  options: Partial<WebhookNotifierOptions> = {},
  signal?: AbortSignal,
): Promise<NotifierError> {
  if (reply !== undefined) endpoint.reply(() => reply)
  const notifier = webhookNotifier({ url: endpoint.url, secret: SECRET, now: () => NOW, ...options })
  const error = await rejection(notifier.send(sampleNotification(), context(signal)))
  expect(error.notifier).toBe('webhook')
  expect(error.message).toMatch(/^\[cashnotify\] \[webhook\] /)
  return error
}

/** The NotifierError a send rejects with. */
async function rejection(sending: Promise<void>): Promise<NotifierError> {
  const error = await sending.then(
    () => expect.unreachable('send should reject'),
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(NotifierError)
  return error as NotifierError
}

describe('what the receiver answers', () => {
  it('resolves on any 2xx', async () => {
    for (const status of [200, 201, 202, 204]) {
      endpoint.reply(() => (status === 204 ? { status } : { status, body: 'ok' }))
      await webhookNotifier({ url: endpoint.url }).send(sampleNotification(), context())
    }
    expect(endpoint.accepted).toHaveLength(4)
  })

  it('429 with Retry-After in seconds: retryable, retryAfterMs from the header', async () => {
    const error = await failure({ status: 429, headers: { 'retry-after': '30' } })
    expect(error.retryable).toBe(true)
    expect(error.disable).toBe(false)
    expect(error.retryAfterMs).toBe(30_000)
    expect(error.message).toBe(
      '[cashnotify] [webhook] 127.0.0.1:' +
        new URL(endpoint.url).port +
        ' answered 429 Too Many Requests and asks to wait 30 s. A retry can help.',
    )
  })

  it('429 with Retry-After as an HTTP date: retryAfterMs from the clock to that date', async () => {
    const in90s = new Date(NOW + 90_000).toUTCString()
    const error = await failure({ status: 429, headers: { 'retry-after': in90s } })
    expect(error.retryable).toBe(true)
    expect(error.retryAfterMs).toBe(90_000)
  })

  it('429 with a Retry-After date in the past waits 0, with fractional seconds (Discord) rounds up', async () => {
    const past = new Date(NOW - 5_000).toUTCString()
    expect((await failure({ status: 429, headers: { 'retry-after': past } })).retryAfterMs).toBe(0)
    expect((await failure({ status: 429, headers: { 'retry-after': '1.2345' } })).retryAfterMs).toBe(1235)
  })

  it('429 without a readable Retry-After: retryable, no retryAfterMs', async () => {
    expect((await failure({ status: 429 })).retryAfterMs).toBeUndefined()
    const unreadable = await failure({ status: 429, headers: { 'retry-after': 'soon' } })
    expect(unreadable.retryable).toBe(true)
    expect(unreadable.retryAfterMs).toBeUndefined()
  })

  it.each([500, 502, 503, 504])('%s is retryable', async (status) => {
    const error = await failure({ status, body: 'upstream trouble' })
    expect(error.retryable).toBe(true)
    expect(error.disable).toBe(false)
    expect(error.message).toMatch(
      new RegExp(`answered ${status} .*: "upstream trouble"\\. A retry can help\\.$`),
    )
  })

  it('503 honours Retry-After too', async () => {
    expect((await failure({ status: 503, headers: { 'retry-after': '120' } })).retryAfterMs).toBe(120_000)
  })

  it('408 is retryable: the receiver timed out waiting', async () => {
    expect((await failure({ status: 408 })).retryable).toBe(true)
  })

  it('410 disables the notifier and says so', async () => {
    const error = await failure({ status: 410, body: 'channel_is_archived' })
    expect(error.disable).toBe(true)
    expect(error.retryable).toBe(false)
    expect(error.message).toMatch(
      /answered 410 Gone: the endpoint is gone, so this notifier is disabled and gets no more notifications\./,
    )
  })

  it('400 is not retryable and quotes a short excerpt of the body', async () => {
    const error = await failure({ status: 400, body: '{"error":\n  "invalid_payload",\t"field": "blocks"}' })
    expect(error.retryable).toBe(false)
    expect(error.disable).toBe(false)
    expect(error.retryAfterMs).toBeUndefined()
    expect(error.message).toMatch(
      /answered 400 Bad Request: "\{"error": "invalid_payload", "field": "blocks"\}"\. A retry cannot help: check the endpoint/,
    )
  })

  it('keeps the excerpt short however long the body is', async () => {
    const error = await failure({ status: 422, body: 'x'.repeat(100_000) })
    const excerpt = /: "(x+…)"/.exec(error.message)?.[1] ?? ''
    expect(excerpt.length).toBe(200)
    expect(error.retryable).toBe(false)
  })

  it.each([401, 403, 404, 413])('%s is not retryable', async (status) => {
    const error = await failure({ status })
    expect(error.retryable).toBe(false)
    expect(error.disable).toBe(false)
  })

  it('does not follow a redirect, which would send the signed body elsewhere', async () => {
    const elsewhere = await startReceiver()
    try {
      const error = await failure({ status: 307, headers: { location: elsewhere.url } })
      expect(error.retryable).toBe(false)
      expect(error.message).toMatch(/answered 307 Temporary Redirect, a redirect, which is not followed/)
      expect(elsewhere.requests).toEqual([])
    } finally {
      await elsewhere.close()
    }
  })
})

describe('before sending', () => {
  it('refuses, without retry, a notification id that cannot be a header', async () => {
    const notifier = webhookNotifier({ url: endpoint.url, secret: SECRET })
    const error = await rejection(
      notifier.send(sampleNotification(undefined, { id: 'sale:\r\nx' }), context()),
    )
    expect(error.retryable).toBe(false)
    expect(error.message).toMatch(/The notification id cannot be sent as an HTTP header/)
    expect(endpoint.requests).toEqual([])
  })
})

describe('when the receiver does not answer', () => {
  it('times out after `timeoutMs` against a stalling receiver, retryable', async () => {
    endpoint.stall()
    const started = performance.now()
    const error = await failure(undefined, { timeoutMs: 150 })
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
    expect(error.retryable).toBe(true)
    expect(error.message).toMatch(
      /127\.0\.0\.1:\d+ did not answer within 150 ms \(`timeoutMs`\)\. A retry can help\./,
    )
    expect(endpoint.requests).toHaveLength(1)
    expect(endpoint.accepted).toEqual([])
  })

  it('ends when delivery aborts its signal, and says it was aborted rather than timed out', async () => {
    endpoint.stall()
    const controller = new AbortController()
    void endpoint.nextRequest().then(() => controller.abort(new Error('delivery is stopping')))
    const error = await failure(undefined, {}, controller.signal)
    expect(error.retryable).toBe(true)
    expect(error.message).toMatch(/Sending to 127\.0\.0\.1:\d+ was aborted: delivery is stopping\./)
  })

  it('does not send at all when the signal is already aborted', async () => {
    const controller = new AbortController()
    controller.abort(new Error('stopping'))
    await failure({ status: 204 }, {}, controller.signal)
    expect(endpoint.requests).toEqual([])
  })

  it('reports a network error (nothing listening) as retryable, naming the host only', async () => {
    const url = `${await closedPortUrl()}${SECRET_PATH}`
    const error = await rejection(
      webhookNotifier({ url, secret: SECRET }).send(sampleNotification(), context()),
    )
    expect(error.retryable).toBe(true)
    expect(error.message).toMatch(
      /^\[cashnotify\] \[webhook\] Could not reach 127\.0\.0\.1:\d+ \(ECONNREFUSED\)\. A retry can help\.$/,
    )
  })

  it('fails, stalls and recovers: only the delivery after recovery is accepted', async () => {
    const notifier = webhookNotifier({ url: endpoint.url, secret: SECRET, timeoutMs: 100 })
    const notification = sampleNotification()

    endpoint.fail()
    const failed = await rejection(notifier.send(notification, context()))
    expect(failed.retryable).toBe(true)

    endpoint.stall()
    const stalled = await rejection(notifier.send(notification, context()))
    expect(stalled.retryable).toBe(true)
    expect(stalled.message).toMatch(/did not answer within 100 ms/)

    endpoint.recover()
    await notifier.send(notification, context())
    expect(endpoint.requests.map((r) => r.headers['webhook-id'])).toEqual([
      notification.id,
      notification.id,
      notification.id,
    ])
    expect(endpoint.accepted).toEqual([notification.id])
  })
})

describe('no credential in any error', () => {
  it('never shows the URL, its path, the secret or header values, even when the receiver echoes them', async () => {
    const token = 'Bearer tok_ReceiverEchoesThis1234'
    const options: Partial<WebhookNotifierOptions> = { headers: { authorization: token }, timeoutMs: 100 }
    const echo = (status: number): Reply => ({
      status,
      body: `bad request to ${endpoint.url} at ${SECRET_PATH} with ${token} and ${SECRET}`,
    })
    const errors: NotifierError[] = []
    for (const status of [400, 401, 404, 410, 429, 500, 503])
      errors.push(await failure(echo(status), options))
    errors.push(await failure('stall', options))
    const aborted = new AbortController()
    aborted.abort(new Error(`aborted while sending to ${endpoint.url}`))
    errors.push(await failure(undefined, options, aborted.signal))
    const closed = `${await closedPortUrl()}${SECRET_PATH}`
    errors.push(await failure(undefined, { ...options, url: closed }))

    expect(errors).toHaveLength(10)
    for (const error of errors) {
      const shown = JSON.stringify({ message: error.message, stack: error.stack, cause: String(error.cause) })
      expect(shown).not.toMatch(/SECRET0|xoxSecretPathToken|tok_ReceiverEchoesThis|MfKQ9r8G/)
      expect(shown).not.toContain(SECRET_PATH)
      expect(containsSecret(shown)).toBe(false)
    }
    // The excerpt is still there, with the credentials cut out.
    expect(errors[0]?.message).toMatch(/: "bad request to … at … with … and …"/)
  })
})
