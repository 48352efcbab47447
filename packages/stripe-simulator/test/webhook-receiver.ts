import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach } from 'vitest'
import { ManualClock } from '../src/index.js'
import { startSimulator } from './helpers.js'

/** One POST a receiver got. */
export interface Received {
  readonly method: string
  readonly headers: IncomingHttpHeaders
  /** The raw body, as signed. */
  readonly body: string
  readonly event: { id: string; type: string; pending_webhooks: number; livemode: boolean }
}

/** What a receiver answers to its `index`-th request: a status, or `hang` (never answer). */
export type Respond = (received: Received, index: number) => number | 'hang'

const closers: (() => Promise<void>)[] = []

afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()))
})

/** A real HTTP receiver on 127.0.0.1 that records what it gets; closed after each test. */
export async function startReceiver(respond: Respond = () => 200) {
  const received: Received[] = []
  const waiters: { count: number; resolve: () => void }[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      const entry: Received = {
        method: req.method ?? '',
        headers: req.headers,
        body,
        event: JSON.parse(body),
      }
      received.push(entry)
      const status = respond(entry, received.length - 1)
      if (status !== 'hang') res.writeHead(status, { 'Content-Type': 'text/plain' }).end('ok')
      for (const waiter of waiters.filter((w) => received.length >= w.count)) waiter.resolve()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve())
      server.closeAllConnections()
    })
  closers.push(close)
  return {
    url: `http://127.0.0.1:${port}/hooks`,
    received,
    /** The event types received, in arrival order. */
    types: () => received.map((r) => r.event.type),
    /** Resolves once `count` requests have arrived (no polling, no sleeps). */
    next: (count: number) =>
      new Promise<void>((resolve) => {
        if (received.length >= count) resolve()
        else waiters.push({ count, resolve })
      }),
    close,
  }
}

/** 2025-06-01T00:00:00Z in Unix ms: the simulator clock of webhook tests. */
export const START = Date.UTC(2025, 5, 1)
export const MINUTE = 60_000
export const HOUR = 60 * MINUTE

/** A simulator on a manual clock (webhook options passed through), served over HTTP. */
export async function startWebhookSimulator(options: Parameters<typeof startSimulator>[0] = {}) {
  const clock = new ManualClock(START)
  const context = await startSimulator({ clock, ...options })
  return { ...context, clock }
}

/** A minimal valid charge event input. */
export function chargeEvent(account: string, id: string, type = 'charge.succeeded', livemode = false) {
  return { account, livemode, type, object: { id, object: 'charge', livemode } }
}
