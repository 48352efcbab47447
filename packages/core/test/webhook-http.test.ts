import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import Stripe from 'stripe'
import { afterEach, describe, expect, it } from 'vitest'
import type { CashNotify } from '../src/index.js'
import { STORE_KEYS } from '../src/shared/store.js'
import { business, fakeTimeSimulator, watcher } from './polling-helpers.js'

const servers: Server[] = []
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

/** A real HTTP server on 127.0.0.1 whose requests go through `listener`. */
async function serve(
  listener: (req: IncomingMessage & { body?: unknown }, res: ServerResponse) => void,
): Promise<string> {
  const server = createServer(listener)
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/stripe/webhooks`
}

async function watched(): Promise<{ cn: CashNotify; secret: string; ref: string }> {
  const { sim, fetch } = fakeTimeSimulator()
  const shop = business(sim)
  const hook = sim.addWebhookEndpoint({ account: shop.id, url: 'https://shop.example/hook' })
  const { cn } = watcher(fetch, { webhooks: { maxBodyBytes: 4_096 } })
  await cn.addAccount({ apiKey: shop.key, webhookSecret: hook.secret })
  return { cn, secret: hook.secret, ref: `${shop.id}/test` }
}

function event(): { id: string; body: string } {
  const id = `evt_${Math.random().toString(36).slice(2, 14)}`
  const body = JSON.stringify({
    id,
    object: 'event',
    created: Math.floor(Date.now() / 1000),
    livemode: false,
    type: 'customer.created',
    data: { object: { id: 'cus_1', object: 'customer' } },
  })
  return { id, body }
}

function post(url: string, body: string, secret: string): Promise<Response> {
  const signature = Stripe.webhooks.generateTestHeaderString({ payload: body, secret })
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'stripe-signature': signature },
    body,
  })
}

async function inbox(cn: CashNotify, ref: string): Promise<string[]> {
  const held = (await cn.store.get(STORE_KEYS.pushInbox(ref))) as { events: { id: string }[] } | undefined
  return held?.events.map((e) => e.id) ?? []
}

describe('the Node request listener, over real HTTP', () => {
  it('takes a signed delivery from node:http, stores it and answers 200 { received: true }', async () => {
    const { cn, secret, ref } = await watched()
    const url = await serve((req, res) => void cn.webhookHandler().node(req, res))
    const { id, body } = event()
    const response = await post(url, body, secret)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ received: true })
    expect(await inbox(cn, ref)).toEqual([id])
  })

  it('takes a raw body that a parser already read (express.raw), and explains a parsed one (express.json)', async () => {
    const { cn, secret, ref } = await watched()
    const read = (req: IncomingMessage): Promise<Buffer> =>
      new Promise((resolve) => {
        const chunks: Buffer[] = []
        req.on('data', (chunk: Buffer) => chunks.push(chunk))
        req.on('end', () => resolve(Buffer.concat(chunks)))
      })
    const raw = await serve(async (req, res) => {
      req.body = await read(req)
      await cn.webhookHandler().node(req, res)
    })
    const parsed = await serve(async (req, res) => {
      req.body = JSON.parse((await read(req)).toString())
      await cn.webhookHandler().node(req, res)
    })
    const first = event()
    expect((await post(raw, first.body, secret)).status).toBe(200)
    const second = event()
    const refused = await post(parsed, second.body, secret)
    expect(refused.status).toBe(400)
    expect(((await refused.json()) as { error: { message: string } }).error.message).toMatch(/express\.raw/)
    expect(await inbox(cn, ref)).toEqual([first.id])
  })

  it('answers 413 to a body over the limit, declared or streamed, without storing it', async () => {
    const { cn, secret, ref } = await watched()
    const url = await serve((req, res) => void cn.webhookHandler().node(req, res))
    const big = JSON.stringify({ ...JSON.parse(event().body), padding: 'x'.repeat(8_000) })
    expect((await post(url, big, secret)).status).toBe(413)
    // Streamed (chunked, no content-length): the limit holds as it is read.
    const signature = Stripe.webhooks.generateTestHeaderString({ payload: big, secret })
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < big.length; i += 1_000)
          controller.enqueue(new TextEncoder().encode(big.slice(i, i + 1_000)))
        controller.close()
      },
    })
    const streamed = await fetch(url, {
      method: 'POST',
      headers: { 'stripe-signature': signature },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    expect(streamed.status).toBe(413)
    expect(await inbox(cn, ref)).toEqual([])
  })
})
