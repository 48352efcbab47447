import { NotifierError } from '@cashnotify/core/notifier'
import { DOMAIN_EVENT_TYPES, sampleEvent, sampleNotification } from '@cashnotify/core/testing'
import { Webhook } from 'standardwebhooks'
import { afterEach, describe, expect, it } from 'vitest'
import { webhookNotifier } from '../src/index.js'
import { signatureHeaders } from '../src/sign.js'
import { type Receiver, startReceiver } from './receiver.js'

/** The secret of the Standard Webhooks specification's example. */
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const NEXT_SECRET = 'whsec_bmV4dCBzZWNyZXQgYWZ0ZXIgdGhlIHJvdGF0aW9u'
const OTHER_SECRET = 'whsec_c29tZW9uZSBlbHNlJ3Mgc2VjcmV0IGtleQ=='

const context = () => ({ signal: new AbortController().signal, attempt: 1 })

let receivers: Receiver[] = []
async function receiver(...args: Parameters<typeof startReceiver>): Promise<Receiver> {
  const started = await startReceiver(...args)
  receivers.push(started)
  return started
}
afterEach(async () => {
  await Promise.all(receivers.map((r) => r.close()))
  receivers = []
})

describe('Standard Webhooks signing', () => {
  it('matches the specification example byte for byte', () => {
    const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64')
    expect(
      signatureHeaders([key], 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}'),
    ).toEqual({
      'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek',
      'webhook-timestamp': '1614265330',
      'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
    })
  })

  it('signs every delivery of every event type so that `standardwebhooks` verifies it', async () => {
    const endpoint = await receiver({ verifyWith: SECRET })
    const notifier = webhookNotifier({ url: endpoint.url, secret: SECRET })
    const sent = DOMAIN_EVENT_TYPES.map((type) => sampleNotification(sampleEvent(type)))
    for (const notification of sent) await notifier.send(notification, context())

    expect(endpoint.unverified).toEqual([])
    expect(endpoint.accepted).toEqual(sent.map((n) => n.id))
    for (const [i, request] of endpoint.requests.entries()) {
      // `verify` returns the parsed body: what was signed is what was sent.
      const verified = new Webhook(SECRET).verify(request.body, { ...request.headers })
      expect(verified).toMatchObject({ id: sent[i]?.id, type: sent[i]?.type })
      expect(request.headers['webhook-id']).toBe(sent[i]?.id)
    }
  })

  it('sends the clock time as `webhook-timestamp` and signs with it', async () => {
    const endpoint = await receiver()
    const notifier = webhookNotifier({ url: endpoint.url, secret: SECRET, now: () => 1_614_265_330_999 })
    await notifier.send(sampleNotification(), context())
    const [request] = endpoint.requests
    expect(request?.headers['webhook-timestamp']).toBe('1614265330')
    expect(request?.headers['webhook-signature']).toBe(
      new Webhook(SECRET).sign(
        request?.headers['webhook-id'] ?? '',
        new Date(1614265330_000),
        request?.body ?? '',
      ),
    )
  })

  describe('rotation with several secrets', () => {
    it('signs with each secret, so a receiver knowing either one verifies', async () => {
      const endpoint = await receiver()
      const notifier = webhookNotifier({ url: endpoint.url, secret: [SECRET, NEXT_SECRET] })
      await notifier.send(sampleNotification(), context())
      const [request] = endpoint.requests
      if (!request) return expect.unreachable('no request')

      expect(request.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]+=* v1,[A-Za-z0-9+/]+=*$/)
      expect(new Webhook(SECRET).verify(request.body, { ...request.headers })).toBeTruthy()
      expect(new Webhook(NEXT_SECRET).verify(request.body, { ...request.headers })).toBeTruthy()
      expect(() => new Webhook(OTHER_SECRET).verify(request.body, { ...request.headers })).toThrow(
        'No matching signature found',
      )
    })

    it('is accepted by a receiver on the old secret and by one on the new secret', async () => {
      const onOld = await receiver({ verifyWith: SECRET })
      const onNew = await receiver({ verifyWith: NEXT_SECRET })
      const notification = sampleNotification()
      await webhookNotifier({ url: onOld.url, secret: [SECRET, NEXT_SECRET] }).send(notification, context())
      await webhookNotifier({ url: onNew.url, secret: [SECRET, NEXT_SECRET] }).send(notification, context())
      expect(onOld.accepted).toEqual([notification.id])
      expect(onNew.accepted).toEqual([notification.id])
    })

    it('is refused by a receiver on neither secret', async () => {
      const elsewhere = await receiver({ verifyWith: OTHER_SECRET })
      const error = await webhookNotifier({ url: elsewhere.url, secret: [SECRET, NEXT_SECRET] })
        .send(sampleNotification(), context())
        .catch((e: unknown) => e)
      expect(elsewhere.unverified.map((u) => u.error)).toEqual(['No matching signature found'])
      expect(error).toBeInstanceOf(NotifierError)
      expect((error as NotifierError).retryable).toBe(false)
      expect((error as Error).message).toMatch(
        /answered 401 Unauthorized: "signature mismatch".*check the `secret`/,
      )
    })
  })

  it('sends `webhook-id` and `webhook-timestamp` but no signature without a secret', async () => {
    const endpoint = await receiver()
    const notification = sampleNotification()
    await webhookNotifier({ url: endpoint.url }).send(notification, context())
    const [request] = endpoint.requests
    expect(request?.headers['webhook-id']).toBe(notification.id)
    expect(request?.headers['webhook-timestamp']).toMatch(/^\d{10}$/)
    expect(request?.headers).not.toHaveProperty('webhook-signature')
  })

  it('keeps the same `webhook-id` on a retry of the same notification', async () => {
    const endpoint = await receiver({ verifyWith: SECRET })
    endpoint.fail()
    const notifier = webhookNotifier({ url: endpoint.url, secret: SECRET })
    const notification = sampleNotification(sampleEvent('refund'))
    await expect(notifier.send(notification, context())).rejects.toBeInstanceOf(NotifierError)
    endpoint.recover()
    await notifier.send(notification, { ...context(), attempt: 2 })
    expect(endpoint.requests.map((r) => r.headers['webhook-id'])).toEqual([notification.id, notification.id])
    expect(endpoint.accepted).toEqual([notification.id])
  })
})
