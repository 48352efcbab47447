import { StripeSimulator } from '@cashnotify/stripe-simulator'
import { Keyv } from 'keyv'
import type { AccountStatusChange, CashNotifyOptions, DomainEvent, WebhookHandler } from '../src/index.js'
import { business, type Fetch, inProcessFetch, watcher } from './polling-helpers.js'

/** What the endpoint does with a delivery: hand it to CashNotify, or fail as a server that is down. */
export interface Endpoint {
  handler: WebhookHandler | undefined
  /** While true, deliveries get a 503 and never reach CashNotify. */
  down: boolean
}

/**
 * A simulator whose webhook deliveries are POSTed in-process to `endpoint.handler.fetch`, with the
 * simulator's real signatures, on fake time; and its API through an in-process fetch, as in the polling tests.
 */
export function pushingSimulator(): { sim: StripeSimulator; fetch: Fetch; endpoint: Endpoint } {
  const endpoint: Endpoint = { handler: undefined, down: false }
  const clock = { now: (): number => Date.now() }
  const deliver = (async (input: RequestInfo | URL, init?: RequestInit) => {
    if (endpoint.down || !endpoint.handler) return new Response('down', { status: 503 })
    return endpoint.handler.fetch(new Request(input, init))
  }) as Fetch
  const sim = new StripeSimulator({ clock, rateLimitClock: clock, seed: 11, webhooks: { fetch: deliver } })
  return { sim, fetch: inProcessFetch(sim), endpoint }
}

/** A shop with a webhook endpoint, watched with its secret, paced by the default read allocation. */
export async function pushedShop(options: CashNotifyOptions = {}, enabledEvents: readonly string[] = ['*']) {
  const { sim, fetch, endpoint } = pushingSimulator()
  const shop = business(sim)
  const url = 'https://shop.example/stripe/webhooks'
  const hook = sim.addWebhookEndpoint({ account: shop.id, url, enabledEvents })
  const store = new Keyv()
  const w = watcher(fetch, { store, readAllocation: {}, pollInterval: 5_000, ...options })
  endpoint.handler = w.cn.webhookHandler()
  const sales: DomainEvent[] = []
  const statuses: AccountStatusChange[] = []
  w.cn.on('sale', (sale) => void sales.push(sale))
  w.cn.on('account.status', (change) => void statuses.push(change))
  const account = await w.cn.addAccount({ apiKey: shop.key, webhookSecret: hook.secret })
  await w.cn.start()
  return { sim, fetch, endpoint, shop, hook, store, account, sales, statuses, ...w }
}
