/**
 * The daemon's own HTTP server for Stripe's webhooks: core's handler at one path, nothing else. It
 * listens on loopback unless told otherwise: Stripe needs HTTPS, which a reverse proxy in front gives.
 */
import { once } from 'node:events'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { WebhookHandler } from '@cashnotify/core'
import type { WebhooksConfig } from '../config/schema.js'

/** Where webhooks are taken when the config gives no `path`. */
export const DEFAULT_WEBHOOK_PATH = '/stripe/webhooks'

/** A webhook server that is listening. */
export interface WebhookServer {
  /** `http://127.0.0.1:8787/stripe/webhooks`. */
  readonly url: string
  /** Stops taking requests and closes the connections. */
  close(): Promise<void>
}

/** A server bound by its caller (the demo binds one before it knows the pipeline), or the config's. */
export type WebhookListen =
  | { readonly server: Server; readonly path?: string | undefined }
  | { readonly config: WebhooksConfig }

/** An HTTP server bound to a free loopback port, not answering yet: the demo's. */
export async function loopbackServer(): Promise<Server> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  return server
}

function urlOf(server: Server, path: string): string {
  const address = server.address() as AddressInfo
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address
  return `http://${host}:${address.port}${path}`
}

/**
 * Answers Stripe's deliveries at `path` with core's handler, and 404 elsewhere.
 * @throws when the config's port cannot be bound (in use, or not allowed).
 */
export async function serveWebhooks(listen: WebhookListen, handler: WebhookHandler): Promise<WebhookServer> {
  const path = ('config' in listen ? listen.config.path : listen.path) ?? DEFAULT_WEBHOOK_PATH
  let server: Server
  if ('server' in listen) server = listen.server
  else {
    server = createServer()
    server.listen(listen.config.port, listen.config.host ?? '127.0.0.1')
    await Promise.race([
      once(server, 'listening'),
      once(server, 'error').then(([error]) => {
        const { port } = listen.config
        throw new Error(`The webhook server cannot listen on port ${port}: ${(error as Error).message}`)
      }),
    ])
  }
  server.on('request', (req, res) => {
    if (new URL(req.url ?? '/', 'http://localhost').pathname === path) void handler.node(req, res)
    else res.writeHead(404, { 'content-type': 'text/plain' }).end(`Stripe webhooks go to ${path}.\n`)
  })
  return {
    url: urlOf(server, path),
    close: async () => {
      const closed = once(server, 'close')
      server.close()
      server.closeAllConnections()
      await closed
    },
  }
}
