import { sampleNotification } from '@cashnotify/core/testing'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { webhookNotifier } from '../src/index.js'
import { type Receiver, startReceiver } from './receiver.js'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
const context = () => ({ signal: new AbortController().signal, attempt: 1 })

let endpoint: Receiver
beforeEach(async () => {
  endpoint = await startReceiver({ verifyWith: SECRET })
})
afterEach(async () => {
  expect(endpoint.unverified).toEqual([])
  await endpoint.close()
})

describe('the request', () => {
  it('is a JSON POST to the URL, query included, with a CashNotify user agent', async () => {
    const url = `${endpoint.url}?team=sales`
    await webhookNotifier({ url, secret: SECRET }).send(sampleNotification(), context())
    const [request] = endpoint.requests
    expect(request?.method).toBe('POST')
    expect(request?.path).toBe('/hooks/cashnotify?team=sales')
    expect(request?.headers['content-type']).toBe('application/json')
    expect(request?.headers['user-agent']).toMatch(/^CashNotify-Webhook/)
  })

  it('sends the extra `headers`, which may replace the user agent', async () => {
    const headers = {
      Authorization: 'Bearer s3cret-token',
      'X-Team': 'sales',
      'User-Agent': 'acme-hooks/2.0',
    }
    await webhookNotifier({ url: endpoint.url, secret: SECRET, headers }).send(
      sampleNotification(),
      context(),
    )
    const [request] = endpoint.requests
    expect(request?.headers).toMatchObject({
      authorization: 'Bearer s3cret-token',
      'x-team': 'sales',
      'user-agent': 'acme-hooks/2.0',
      'content-type': 'application/json',
    })
  })

  it('goes through an injected `fetch`', async () => {
    const seen: Array<{ url: string; method: string | undefined; signal: boolean }> = []
    const tracingFetch: typeof fetch = (input, init) => {
      seen.push({ url: String(input), method: init?.method, signal: init?.signal instanceof AbortSignal })
      return fetch(input, init)
    }
    const notification = sampleNotification()
    await webhookNotifier({ url: endpoint.url, secret: SECRET, fetch: tracingFetch }).send(
      notification,
      context(),
    )
    expect(seen).toEqual([{ url: endpoint.url, method: 'POST', signal: true }])
    expect(endpoint.accepted).toEqual([notification.id])
  })

  it('shares nothing between two notifiers', async () => {
    const other = await startReceiver()
    try {
      const first = webhookNotifier({ url: endpoint.url, secret: SECRET })
      const second = webhookNotifier({ url: other.url, headers: { 'x-which': 'second' } })
      await Promise.all([
        first.send(sampleNotification(), context()),
        second.send(sampleNotification(), context()),
      ])
      expect(endpoint.requests[0]?.headers).not.toHaveProperty('x-which')
      expect(other.requests[0]?.headers).not.toHaveProperty('webhook-signature')
      expect(other.requests[0]?.headers['x-which']).toBe('second')
    } finally {
      await other.close()
    }
  })
})
