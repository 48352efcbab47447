import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { inspect } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CashNotify, checkKey, type LogFields, type Logger } from '../src/index.js'
import { ALL_PERMISSIONS, type RunningSimulator, startSimulator } from './helpers.js'

/** The forms a key can come back in from a careless or hostile upstream. */
function echoes(key: string): Record<string, string> {
  const base64 = (text: string): string => Buffer.from(text).toString('base64')
  return {
    glued: `Bearer${key}`,
    underscore: `user_${key}`,
    urlEncoded: encodeURIComponent(key),
    basic: base64(`${key}:`),
    base64: base64(key),
  }
}

/**
 * A proxy in front of the simulator that answers some endpoints itself, echoing the key of the
 * request in every form: in the message, in extra body fields, in headers, in a body that is no JSON.
 */
async function hostileProxy(
  upstream: URL,
  echoing: ReadonlySet<string>,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    const key = (req.headers.authorization ?? '').replace(/^Bearer /, '')
    const path = (req.url ?? '').split('?')[0] ?? ''
    const e = echoes(key)
    const reply = (status: number, body: string): void => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-echo': key, 'x-basic': e.basic ?? '' })
      res.end(body)
    }
    const error = (type: string, message: string): string =>
      JSON.stringify({ error: { type, message, echo: key, also: Object.values(e) } })
    if (echoing.has(path)) {
      if (path === '/v1/balance_transactions')
        return reply(
          400,
          error('invalid_request_error', `Bad credentials ${e.glued} ${e.urlEncoded} ${e.basic}`),
        )
      if (path === '/v1/invoices')
        return reply(500, error('api_error', `Upstream failed for ${e.underscore}`))
      if (path === '/v1/customers')
        return reply(
          403,
          error(
            'invalid_request_error',
            `The provided key '${key}' does not have the required permissions for this endpoint. Having the 'rak_customer_read' permission would allow this request to continue.`,
          ),
        )
      if (path === '/v1/payouts') return reply(200, `{"data": [${key}, ${e.base64}`)
      if (path === '/v1/events') return reply(429, error('invalid_request_error', `Slow down, ${e.glued}`))
    }
    const forward = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        path: req.url,
        method: req.method,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      },
    )
    req.pipe(forward)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as AddressInfo).port }
}

let running: RunningSimulator
beforeAll(async () => {
  running = await startSimulator({ rateLimits: false })
})
afterAll(() => running.close())

describe('a key echoed by the other side', () => {
  it('is redacted in every form, in errors, their causes, logs and events', async () => {
    const { sim } = running
    const account = sim.createAccount({ businessName: 'Echo Inc' }).id
    const key = sim.createKey({ account, kind: 'restricted', mode: 'test', permissions: ALL_PERMISSIONS })
    const echoing = new Set(['/v1/balance_transactions', '/v1/invoices', '/v1/customers', '/v1/payouts'])
    const proxy = await hostileProxy(new URL(`http://${running.stripe.host}:${running.stripe.port}`), echoing)
    const stripe = { host: '127.0.0.1', port: proxy.port, protocol: 'http' as const }
    const artefacts: unknown[] = []
    const capture = (value: unknown): void => void artefacts.push(value)
    const logger: Logger = {
      debug: (m: string, f?: LogFields) => capture([m, f]),
      info: (m: string, f?: LogFields) => capture([m, f]),
      warn: (m: string, f?: LogFields) => capture([m, f]),
      error: (m: string, f?: LogFields) => capture([m, f]),
    }
    try {
      capture(await checkKey(key, { stripe, retry: { retries: 0 } }).catch((error: unknown) => error))
      const cn = new CashNotify({ stripe, logger, retry: { retries: 0 }, pollInterval: 1_000 })
      cn.on('error', capture)
      cn.on('account.status', capture)
      const watched = await cn.addAccount({ apiKey: key }).catch((error: unknown) => error)
      capture(watched)
      echoing.add('/v1/events')
      await cn.start()
      await new Promise((resolve) => setTimeout(resolve, 1_500))
      await cn.stop()
      capture(cn.accounts())
    } finally {
      await new Promise((resolve) => proxy.server.close(resolve))
    }
    const text = artefacts.map(render).join('\n')
    expect(text).toContain('rk_test_…')
    expect(text).toMatch(/rate-limited|Stripe is unavailable|no message|Invalid JSON/)
    const body = key.replace(/^rk_test_/, '')
    for (const [form, value] of Object.entries({ ...echoes(key), body: body.slice(0, 16) })) {
      const needle = form === 'body' ? value : value.replace(/^Bearer|^user_/, '').slice(0, 24)
      expect(text.includes(needle), `the key leaked ${form}`).toBe(false)
    }
  }, 20_000)
})

/** Everything a value shows when printed, serialised or inspected, including its cause chain. */
function render(value: unknown): string {
  const parts = [inspect(value, { depth: 10, showHidden: false })]
  try {
    parts.push(JSON.stringify(value))
  } catch {
    parts.push('[unserialisable]')
  }
  for (let error = value; error instanceof Error; error = error.cause) {
    parts.push(error.message, error.stack ?? '', JSON.stringify(error), inspect(error, { depth: 10 }))
  }
  return parts.join('\n')
}
