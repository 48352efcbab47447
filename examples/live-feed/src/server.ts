import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AccountLogo, CashNotify, SaleEvent } from '@cashnotify/core'
import { sendLogo } from './logos.js'
import { loadPage } from './page.js'
import { SseHub } from './sse.js'
import { accountKey, DailyTotals } from './totals.js'
import { type SaleView, type Summary, saleView, summarize } from './views.js'

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
  /** The clock, ms since epoch. @default Date.now */
  now?: () => number
}

/** A running live-feed server. */
export interface LiveFeedServer {
  /** The page's address, e.g. `http://127.0.0.1:3000/`. */
  readonly url: string
  /** The port it listens on. */
  readonly port: number
  /** How many pages are connected. */
  readonly clients: number
  /** Today's summary, as the page gets it. */
  summary(): Summary
  /** Stops listening to CashNotify, ends every stream and closes the server. */
  close(): Promise<void>
}

/**
 * Serves a page with the live stream of sales of `cashnotify`'s accounts and today's totals per account
 * and currency, over server-sent events. Routes: `GET /` the page, `GET /events` the stream,
 * `GET /summary.json` today's totals, `GET /logos/:accountId/:mode` an account's logo.
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
  const totals = new DailyTotals({
    ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
    ...(options.locale === undefined ? {} : { locale: options.locale }),
    ...(options.now === undefined ? {} : { now: options.now }),
  })
  const recent: SaleView[] = [] // oldest first
  /** Logos of accounts seen in sales, for accounts removed since. */
  const seenLogos = new Map<string, AccountLogo>()
  const summary = (): Summary => summarize(cn.accounts(), totals.snapshot())

  let day = totals.today()
  const hub = new SseHub({
    ...(options.heartbeatMs === undefined ? {} : { heartbeatMs: options.heartbeatMs }),
    onHeartbeat: () => {
      // At midnight the totals start again: tell the pages even if nothing sells.
      if (totals.today() === day) return
      day = totals.today()
      hub.broadcast({ event: 'summary', data: summary() })
    },
  })

  const onSale = (sale: SaleEvent): void => {
    totals.add(sale)
    seenLogos.set(accountKey(sale.account), sale.account.logo)
    const view = saleView(sale)
    recent.push(view)
    if (recent.length > recentSales) recent.splice(0, recent.length - recentSales)
    hub.broadcast({ event: 'sale', data: { sale: view, summary: summary() } })
  }
  const onAccountsChanged = (): void => hub.broadcast({ event: 'summary', data: summary() })
  cn.on('sale', onSale)
  cn.on('account.added', onAccountsChanged)
  cn.on('account.removed', onAccountsChanged)
  cn.on('account.status', onAccountsChanged)

  const handle = (request: IncomingMessage, response: ServerResponse): void => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost')
    // Node sends no body in answer to HEAD by itself; an event stream is GET only.
    if (request.method !== 'GET' && (request.method !== 'HEAD' || pathname === '/events')) {
      response.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
      response.end('Only GET here.\n')
      return
    }
    if (pathname === '/' || pathname === '/index.html') {
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': page.csp,
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
        'x-content-type-options': 'nosniff',
      })
      response.end(page.html)
      return
    }
    if (pathname === '/events') {
      hub.connect(request, response, [{ event: 'snapshot', data: { summary: summary(), sales: recent } }])
      return
    }
    if (pathname === '/summary.json') {
      response.writeHead(200, {
        'content-type': 'application/json; charset=utf-8',
        'cache-control': 'no-store',
      })
      response.end(JSON.stringify(summary()))
      return
    }
    if (pathname === '/favicon.ico') {
      response.writeHead(204, { 'cache-control': 'public, max-age=86400' })
      response.end()
      return
    }
    // Account ids are `acct_` and letters and digits: anything else is no account of ours.
    const logo = /^\/logos\/(acct_[A-Za-z0-9]+)\/(live|test)$/.exec(pathname)
    if (logo) {
      const key = `${logo[1]}/${logo[2]}`
      sendLogo(response, cn.account(key)?.logo ?? seenLogos.get(key))
      return
    }
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
    response.end('Not found.\n')
  }

  const server = createServer((request, response) => {
    try {
      handle(request, response)
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

  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    port,
    get clients() {
      return hub.size
    },
    summary,
    close: async () => {
      cn.off('sale', onSale)
      cn.off('account.added', onAccountsChanged)
      cn.off('account.removed', onAccountsChanged)
      cn.off('account.status', onAccountsChanged)
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      )
      hub.close()
      server.closeAllConnections()
      await closed
    },
  }
}
