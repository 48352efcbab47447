/**
 * The webhook handler as servers want it: a Node request listener (node:http, Express, Fastify) and a
 * Fetch API handler (Hono, Bun, Deno, workers). Both read the raw body within the size limit — the
 * signature is over its exact bytes — and hand it to the intake.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Answer, WebhookIntake, WebhookRequest } from './webhook-intake.js'

/** Receives Stripe's webhook deliveries for every account added with a `webhookSecret`. */
export interface WebhookHandler {
  /**
   * A Node request listener. With Express, mount it before any JSON body parser, or after
   * `express.raw({ type: 'application/json' })`; with Fastify, give it the raw body as `req.body`.
   */
  node(req: IncomingMessage & { body?: unknown }, res: ServerResponse): Promise<void>
  /** A Fetch API handler. */
  fetch(request: Request): Promise<Response>
}

/** Too large: answered 413 without reading the rest. */
class TooLarge extends Error {}

/** A body some parser turned into an object: its bytes, and so its signature, are gone. */
const PARSED = Symbol('parsed')

const PARSED_BODY =
  'The body was parsed before CashNotify saw it, so its signature cannot be checked: mount the handler before express.json(), or after express.raw({ type: "application/json" }).'

function declaredTooLarge(length: string | null | undefined, max: number): boolean {
  return length !== null && length !== undefined && Number(length) > max
}

async function readLimited(chunks: AsyncIterable<Uint8Array | string>, max: number): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  let size = 0
  for await (const chunk of chunks) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk
    size += bytes.byteLength
    if (size > max) throw new TooLarge()
    parts.push(bytes)
  }
  return Buffer.concat(parts)
}

/** The raw body of a Node request: already read by a raw-body parser, or read here. */
async function nodeBody(
  req: IncomingMessage & { body?: unknown },
  max: number,
): Promise<Uint8Array | string | typeof PARSED> {
  const { body } = req
  if (body instanceof Uint8Array) return body
  if (typeof body === 'string') return body
  // Express 4 sets `{}` without reading when the content type is not its parser's: the stream is intact.
  if (body !== undefined && body !== null && req.readableEnded) return PARSED
  if (declaredTooLarge(req.headers['content-length'], max)) throw new TooLarge()
  return readLimited(req, max)
}

async function fetchBody(request: Request, max: number): Promise<Uint8Array> {
  if (declaredTooLarge(request.headers.get('content-length'), max)) throw new TooLarge()
  if (!request.body) return new Uint8Array()
  return readLimited(request.body as unknown as AsyncIterable<Uint8Array>, max)
}

function tooLarge(max: number): Answer {
  return {
    status: 413,
    body: { error: { message: `The body is larger than ${max} bytes (webhooks.maxBodyBytes).` } },
  }
}

/** The two handlers of an intake. */
export function webhookHandler(intake: WebhookIntake, maxBodyBytes: number): WebhookHandler {
  const answerOf = async (
    read: () => Promise<Uint8Array | string | typeof PARSED>,
    rest: Omit<WebhookRequest, 'body'>,
  ): Promise<Answer> => {
    let body: Uint8Array | string | typeof PARSED
    try {
      body = await read()
    } catch (error) {
      if (error instanceof TooLarge) return tooLarge(maxBodyBytes)
      throw error
    }
    if (body === PARSED) return { status: 400, body: { error: { message: PARSED_BODY } } }
    const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body
    return intake.take({ ...rest, body: bytes })
  }
  return {
    async node(req, res) {
      const header = req.headers['stripe-signature']
      const answer = await answerOf(
        () => (req.method === 'POST' ? nodeBody(req, maxBodyBytes) : Promise.resolve('')),
        {
          method: req.method ?? 'GET',
          signature: Array.isArray(header) ? header[0] : header,
        },
      )
      res.statusCode = answer.status
      res.setHeader('content-type', 'application/json')
      // A body left unread (413) would keep the connection busy: close it instead.
      if (answer.status === 413) res.setHeader('connection', 'close')
      res.end(JSON.stringify(answer.body))
    },
    async fetch(request) {
      const answer = await answerOf(
        () => (request.method === 'POST' ? fetchBody(request, maxBodyBytes) : Promise.resolve('')),
        { method: request.method, signature: request.headers.get('stripe-signature') ?? undefined },
      )
      return new Response(JSON.stringify(answer.body), {
        status: answer.status,
        headers: { 'content-type': 'application/json' },
      })
    },
  }
}
