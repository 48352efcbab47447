import { once } from 'node:events'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A message as the topic got it, headers decoded as ntfy decodes them. */
export interface Message {
  /** `X-CashNotify-Id`: the notification's idempotency id. */
  readonly id: string
  readonly title: string
  /** The `Title` header as it came over the wire. */
  readonly rawTitle: string
  readonly tags: string
  readonly click: string | undefined
  readonly contentType: string
  readonly body: string
}

/** How to answer the next requests: a status with optional headers, or never. */
export type Answer = { status: number; headers?: Record<string, string> } | 'stall'

/** An ntfy-style topic on 127.0.0.1: a real HTTP server that records what it is sent. */
export interface Topic {
  /** The topic's URL, e.g. `http://127.0.0.1:40123/acme-sales`. */
  readonly url: string
  /** Every request that arrived, whatever the answer. */
  readonly requests: Message[]
  /** The messages answered 200, in order. */
  readonly accepted: Message[]
  /** Answers every next request with what `answer` returns. */
  answer(answer: (message: Message, index: number) => Answer): void
  /** Answers 503 until {@link recover}. */
  fail(): void
  /** Reads requests and never answers until {@link recover}. */
  stall(): void
  /** Answers 200 again. */
  recover(): void
  /** Closes the server and every connection, stalled ones included. */
  close(): Promise<void>
}

/** Starts a {@link Topic} on a free port. */
export async function startTopic(path = '/acme-sales'): Promise<Topic> {
  const requests: Message[] = []
  const accepted: Message[] = []
  const ok = (): Answer => ({ status: 200, headers: { 'content-type': 'application/json' } })
  let answer: (message: Message, index: number) => Answer = ok

  const server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const message = toMessage(request.headers, Buffer.concat(chunks).toString('utf8'))
      requests.push(message)
      const reply = answer(message, requests.length - 1)
      if (reply === 'stall') return
      if (reply.status === 200) accepted.push(message)
      response.writeHead(reply.status, reply.headers).end(JSON.stringify({ id: `m${requests.length}` }))
    })
  })
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo

  return {
    url: `http://127.0.0.1:${port}${path}`,
    requests,
    accepted,
    answer(next) {
      answer = next
    },
    fail() {
      answer = () => ({ status: 503 })
    },
    stall() {
      answer = () => 'stall'
    },
    recover() {
      answer = ok
    },
    async close() {
      const closed = once(server, 'close')
      server.close()
      server.closeAllConnections()
      await closed
    },
  }
}

function toMessage(headers: IncomingHttpHeaders, body: string): Message {
  const text = (name: string): string | undefined => {
    const value = headers[name]
    return typeof value === 'string' ? decodeWord(value) : undefined
  }
  return {
    id: text('x-cashnotify-id') ?? '',
    title: text('title') ?? '',
    rawTitle: typeof headers.title === 'string' ? headers.title : '',
    tags: text('tags') ?? '',
    click: text('click'),
    contentType: text('content-type') ?? '',
    body,
  }
}

/** Decodes an RFC 2047 encoded-word (`=?UTF-8?B?…?=`) as ntfy does; other values are returned as they are. */
function decodeWord(value: string): string {
  const word = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/i.exec(value)
  return word ? Buffer.from(word[1] ?? '', 'base64').toString('utf8') : value
}
