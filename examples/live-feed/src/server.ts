import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { CashNotify } from '@cashnotify/core'
import type { ChartsView } from './charts.js'
import { SalesFeed } from './feed.js'
import { loadPage } from './page.js'
import { route, WEBHOOK_PATH } from './routes.js'
import type { Summary } from './views.js'

/** Options of {@link createLiveFeedServer}. */
export interface LiveFeedServerOptions {
  /** The app's CashNotify instance. The server listens to it; starting and stopping it stays the app's job. */
  cashnotify: CashNotify
  /** The port; 0 picks a free one. @default 3000 */
  port?: number
  /** The interface to listen on. The page shows customers' emails: keep it local unless it sits behind auth. @default '127.0.0.1' */
  host?: string
  /** The time zone whose midnight starts a new day of totals. @default the system's */
  timeZone?: string
  /** Locale of the formatted totals. @default 'en-US' */
  locale?: string
  /** How many recent sales a newly opened page is sent. @default 50 */
  recentSales?: number
  /** How often open streams get a keep-alive comment (and the day is checked), ms. @default 15000 */
  heartbeatMs?: number
  /** How long after a sale today's charts are redrawn, ms: a burst of sales is drawn once. @default 250 */
  chartDebounceMs?: number
  /** The clock, ms since epoch. @default Date.now */
  now?: () => number
  /**
   * Takes Stripe's webhooks at `POST /stripe/webhooks` (accounts added with a `webhookSecret`): sales
   * arrive within a second, and polls only reconcile. @default true
   */
  webhooks?: boolean
}

/** A running live-feed server. */
export interface LiveFeedServer {
  /** The page's address, e.g. `http://127.0.0.1:3000/`. */
  readonly url: string
  /** The port it listens on. */
  readonly port: number
  /** Where Stripe's webhooks are taken, when they are: the URL to give the webhook endpoint. */
  readonly webhookUrl: string | undefined
  /** How many pages are connected. */
  readonly clients: number
  /** Today's summary, as the page gets it. */
  summary(): Summary
  /** Today's charts, per currency, as last drawn (and pushed to the pages). */
  charts(): ChartsView
  /** Stops listening to CashNotify, ends every stream and closes the server. */
  close(): Promise<void>
}

/**
 * Serves a page with the live stream of sales of `cashnotify`'s accounts and today's totals per account
 * and currency, and today's sales per hour as one chart per currency, over server-sent events. Routes:
 * `GET /` the page, `GET /events` the stream, `GET /summary.json` today's totals, `GET /chart.svg`
 * today's chart (`?currency=usd`; the first currency without it), `GET /logos/:accountId/:mode` an account's logo, and
 * `POST /stripe/webhooks` Stripe's webhooks, for CashNotify.
 *
 * @example
 * ```ts
 * const cn = new CashNotify()
 * await cn.addAccount({ apiKey: process.env.STRIPE_KEY ?? '' })
 * const feed = await createLiveFeedServer({ cashnotify: cn, port: 3000 })
 * await cn.start()
 * console.log(`Live sales: ${feed.url}`)
 * ```
 */
export async function createLiveFeedServer(options: LiveFeedServerOptions): Promise<LiveFeedServer> {
  const { cashnotify: cn, host = '127.0.0.1', recentSales = 50 } = options
  const page = await loadPage()
  const feed = new SalesFeed(cn, {
    timeZone: options.timeZone,
    locale: options.locale,
    now: options.now,
    heartbeatMs: options.heartbeatMs,
    recentSales,
    chartDebounceMs: options.chartDebounceMs ?? 250,
  })
  const webhooks = options.webhooks === false ? undefined : cn.webhookHandler()
  const server = createServer((request, response) => {
    try {
      route(request, response, { page, feed, webhooks })
    } catch (error) {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' })
      response.end(`Internal error: ${error instanceof Error ? error.message : String(error)}\n`)
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 3000, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}/`
  return {
    url,
    port,
    webhookUrl: webhooks ? new URL(WEBHOOK_PATH, url).href : undefined,
    get clients() {
      return feed.hub.size
    },
    summary: () => feed.summary(),
    charts: () => feed.charts(),
    close: async () => {
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      )
      feed.close()
      server.closeAllConnections()
      await closed
    },
  }
}
