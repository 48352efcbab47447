/**
 * What the demo starts before the daemon: the simulator with the two shops and their history, Stripe's
 * side of webhooks, the webhook receiver, and the config the daemon reads, written as a user would.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import type { Logger } from '@cashnotify/core'
import { StripeSimulator } from '@cashnotify/stripe-simulator'
import type { Config } from '../config/schema.js'
import { DEFAULT_WEBHOOK_PATH, loopbackServer } from '../watch/webhook-server.js'
import { createDemoShops, type DemoShop } from './business.js'
import { seededRandom } from './random.js'
import { HISTORY, happen } from './traffic.js'
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.js'

/** The environment variable the demo's config names for the webhook secret. */
export const SECRET_ENV = 'DEMO_WEBHOOK_SECRET'

/**
 * The rule the demo shows: a sale from $100.00 (Northwind's Barista Course, a yearly Coffee Club) or
 * €50.00 (two Template Bundles, a Bluebird Team plan) is marked large. Other rules would hold
 * notifications back (grouping, quiet hours): a demo that starts quiet says little.
 */
export const DEMO_LARGE_SALE: Readonly<Record<string, number>> = { usd: 10_000, eur: 5_000 }

/** The scheduled digest of the demo's config: yesterday's, at 09:00, as a user would write it. */
export const DEMO_DIGEST_AT = '09:00'

/** The variable of the signing secret of a shop's Stripe webhook endpoint. */
const stripeSecretEnv = (shop: DemoShop): string => `${shop.keyEnv}_WEBHOOK_SECRET`

/** What is torn down at the end, last started first. */
export type Cleanup = Array<() => Promise<void> | void>

/** The demo's config: the same schema as a user's file, with its keys in the demo's own environment. */
export function demoConfig(
  shops: readonly DemoShop[],
  webhookUrl: string,
  desktop: boolean,
  dir: string,
  stripeUrl: string,
): Config {
  return {
    // Stripe pushes each shop's events to the daemon; polls pick up whatever a push missed.
    accounts: shops.map((shop) => ({ keyEnv: shop.keyEnv, webhookSecretEnv: stripeSecretEnv(shop) })),
    notifiers: [
      { type: 'console' },
      ...(desktop ? [{ type: 'desktop' as const, timeoutMs: 5000 }] : []),
      { type: 'webhook', url: webhookUrl, secretEnv: SECRET_ENV, retry: { attempts: 3, baseDelayMs: 500 } },
    ],
    rules: { largeSale: { minAmount: DEMO_LARGE_SALE } },
    digests: [{ name: 'daily', every: 'day', at: DEMO_DIGEST_AT }],
    pollInterval: 1000,
    // All of the shops' history (about fifty events): today's digest counts every sale of the day.
    backfill: 100,
    store: join(dir, 'state.sqlite'),
    stripeUrl,
  }
}

/** The simulator on loopback with the two shops, and an hour of history before the daemon starts. */
export async function startShops(seed: number, cleanup: Cleanup) {
  const sim = new StripeSimulator({ seed })
  const server = await sim.listen()
  cleanup.unshift(() => server.close())
  const shops = createDemoShops(sim)
  const random = seededRandom(seed)
  // Read as backfill, not notified.
  const hourAgo = Math.floor(Date.now() / 1000) - 3600
  for (const shop of shops) for (let i = 0; i < 5; i++) happen(shop, random, hourAgo + i * 600, HISTORY)
  return { sim, server, shops, random }
}

/**
 * Stripe's side of push: a loopback port for the daemon's webhook server, and an endpoint per shop
 * in the simulator that sends there, signed with its own secret.
 */
export async function stripeWebhooks(
  sim: StripeSimulator,
  shops: readonly DemoShop[],
  cleanup: Cleanup,
): Promise<{ server: Server; url: string; secrets: Record<string, string> }> {
  const server = await loopbackServer()
  cleanup.unshift(() => new Promise<void>((resolve) => server.close(() => resolve())))
  const { port } = server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}${DEFAULT_WEBHOOK_PATH}`
  const secrets = shops.map((shop) => {
    const { secret } = sim.addWebhookEndpoint({ account: shop.account.id, url, livemode: shop.livemode })
    return [stripeSecretEnv(shop), secret] as const
  })
  return { server, url, secrets: Object.fromEntries(secrets) }
}

/** The webhook receiver, logging each signature it verifies. */
export async function startReceiver(logger: Logger, cleanup: Cleanup): Promise<WebhookReceiver> {
  const receiver = await startWebhookReceiver({
    onVerified: ({ id, repeat }) =>
      logger.info(
        `  ↳ webhook receiver verified the signature of ${id}${repeat ? ' (a repeat: dropped)' : ''}`,
        { id },
      ),
    onRejected: (reason) => logger.warn(`The webhook receiver refused a request: ${reason}`),
  })
  cleanup.unshift(() => receiver.close())
  return receiver
}
