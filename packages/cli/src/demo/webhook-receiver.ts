import { randomBytes } from 'node:crypto'
import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type WebhookPayload, webhookPayloadSchema } from '@cashnotify/notifier-webhook'
import { Webhook } from 'standardwebhooks'

/** A payload the receiver verified. */
export interface ReceivedWebhook {
  /** The `webhook-id` header: the notification's idempotency id. */
  readonly id: string
  /** The payload, validated with the notifier's own schema. */
  readonly payload: WebhookPayload
  /** True when this id was received before (delivery is at least once). */
  readonly repeat: boolean
}

/** Options of {@link startWebhookReceiver}. */
export interface WebhookReceiverOptions {
  /** The Standard Webhooks secret (`whsec_…`). @default a new random one */
  readonly secret?: string
  /** Told of each verified request. */
  readonly onVerified?: (received: ReceivedWebhook) => void
  /** Told of each refused request and why. */
  readonly onRejected?: (reason: string) => void
}

/** A running receiver. */
export interface WebhookReceiver {
  /** Where to POST: `http://127.0.0.1:<port>/hooks/cashnotify`. */
  readonly url: string
  /** The secret it verifies with, for the notifier's `secretEnv`. */
  readonly secret: string
  /** Requests whose signature and payload were verified. */
  readonly verified: number
  /** Requests refused (bad signature or payload). */
  readonly rejected: number
  /** Stops listening, ending open connections. */
  close(): Promise<void>
}

function body(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

/**
 * What a webhook's owner runs, in miniature: a node:http server on 127.0.0.1 that verifies each
 * request's Standard Webhooks signature with the `standardwebhooks` package (on the raw body, before
 * any parsing), validates the payload with the notifier's schema, and drops repeats by `webhook-id`.
 */
export async function startWebhookReceiver(options: WebhookReceiverOptions = {}): Promise<WebhookReceiver> {
  const secret = options.secret ?? `whsec_${randomBytes(24).toString('base64')}`
  const webhook = new Webhook(secret)
  const seen = new Set<string>()
  let verified = 0
  let rejected = 0
  const refuse = (reason: string): void => {
    rejected++
    options.onRejected?.(reason)
  }
  const server = createServer(async (request, response) => {
    const raw = await body(request).catch(() => undefined)
    if (raw === undefined) {
      response.destroy() // the sender went away mid-request
      return
    }
    let json: unknown
    try {
      json = webhook.verify(raw, request.headers as Record<string, string>)
    } catch (error) {
      refuse(`bad signature: ${(error as Error).message}`)
      response.writeHead(401).end('bad signature')
      return
    }
    const parsed = webhookPayloadSchema.safeParse(json)
    if (!parsed.success) {
      refuse(`unexpected payload: ${parsed.error.issues[0]?.message ?? 'invalid'}`)
      response.writeHead(400).end('unexpected payload')
      return
    }
    const id = String(request.headers['webhook-id'])
    const repeat = seen.has(id)
    seen.add(id)
    verified++
    response.writeHead(204).end()
    options.onVerified?.({ id, payload: parsed.data, repeat })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', resolve)
  })
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hooks/cashnotify`,
    secret,
    get verified() {
      return verified
    },
    get rejected() {
      return rejected
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}
