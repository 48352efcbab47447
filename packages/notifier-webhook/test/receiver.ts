import { once } from 'node:events'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Webhook } from 'standardwebhooks'

/** A request as the receiver got it. */
export interface ReceivedRequest {
  readonly method: string
  /** Path and query. */
  readonly path: string
  /** Lower-case names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/** How to answer a request: a status with optional headers and body, or never. */
export type Reply = { status: number; headers?: Record<string, string>; body?: string } | 'stall'

/** Options of {@link startReceiver}. */
export interface ReceiverOptions {
  /**
   * Verify every request with the `standardwebhooks` package and this secret; a request that does not
   * verify is answered 401 and recorded in `unverified`.
   */
  verifyWith?: string
  /** The path the receiver serves, as a webhook URL's path would be. @default '/hooks/cashnotify' */
  path?: string
}

/** A real HTTP receiver on 127.0.0.1, on a free port. */
export interface Receiver {
  /** The URL to POST to. */
  readonly url: string
  /** Every request that arrived, whatever the answer. */
  readonly requests: ReceivedRequest[]
  /** The `webhook-id` of each request answered 2xx, in order. */
  readonly accepted: string[]
  /** Requests that failed `standardwebhooks` verification, with why. */
  readonly unverified: Array<{ request: ReceivedRequest; error: string }>
  /** Answers each next request with what `reply` returns (after verification, when asked). */
  reply(reply: (request: ReceivedRequest) => Reply): void
  /** Answers 503 to everything until {@link recover}. */
  fail(): void
  /** Accepts requests and never answers until {@link recover}. */
  stall(): void
  /** Answers 204 again. */
  recover(): void
  /** Resolves with the next request that arrives. */
  nextRequest(): Promise<ReceivedRequest>
  /** Closes the server and every open connection (stalled ones included). */
  close(): Promise<void>
}

const OK: Reply = { status: 204 }

/** Starts a {@link Receiver}. */
export async function startReceiver(options: ReceiverOptions = {}): Promise<Receiver> {
  const requests: ReceivedRequest[] = []
  const accepted: string[] = []
  const unverified: Receiver['unverified'] = []
  const waiting: Array<(request: ReceivedRequest) => void> = []
  let answer: (request: ReceivedRequest) => Reply = () => OK
  const webhook = options.verifyWith === undefined ? undefined : new Webhook(options.verifyWith)

  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = []
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk))
    incoming.on('end', () => {
      const request: ReceivedRequest = {
        method: incoming.method ?? '',
        path: incoming.url ?? '',
        headers: Object.fromEntries(
          Object.entries(incoming.headers).map(([name, value]) => [
            name,
            Array.isArray(value) ? value.join(', ') : (value ?? ''),
          ]),
        ),
        body: Buffer.concat(chunks).toString('utf8'),
      }
      requests.push(request)
      for (const resolve of waiting.splice(0)) resolve(request)
      if (webhook !== undefined) {
        try {
          webhook.verify(request.body, { ...request.headers })
        } catch (error) {
          unverified.push({ request, error: (error as Error).message })
          response.writeHead(401).end('signature mismatch')
          return
        }
      }
      const reply = answer(request)
      if (reply === 'stall') return
      if (reply.status >= 200 && reply.status < 300) accepted.push(request.headers['webhook-id'] ?? '')
      response.writeHead(reply.status, reply.headers).end(reply.body)
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}${options.path ?? '/hooks/cashnotify'}`,
    requests,
    accepted,
    unverified,
    reply(reply) {
      answer = reply
    },
    fail() {
      answer = () => ({ status: 503, body: 'unavailable' })
    },
    stall() {
      answer = () => 'stall'
    },
    recover() {
      answer = () => OK
    },
    nextRequest() {
      return new Promise((resolve) => waiting.push(resolve))
    },
    async close() {
      const closed = once(server, 'close')
      server.close()
      server.closeAllConnections()
      await closed
    },
  }
}

/** A URL on 127.0.0.1 where nothing listens: a receiver's port, closed again. */
export async function closedPortUrl(): Promise<string> {
  const receiver = await startReceiver()
  await receiver.close()
  return receiver.url
}
