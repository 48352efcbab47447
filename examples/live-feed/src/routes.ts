import type { IncomingMessage, ServerResponse } from 'node:http'
import type { WebhookHandler } from '@cashnotify/core'
import type { SalesFeed } from './feed.js'
import { sendLogo } from './logos.js'
import type { Page } from './page.js'

const TEXT = 'text/plain; charset=utf-8'

/** Where Stripe's webhooks are taken. */
export const WEBHOOK_PATH = '/stripe/webhooks'

/** What the routes serve. */
export interface Routes {
  readonly page: Page
  readonly feed: SalesFeed
  /** CashNotify's webhook handler, when the app takes Stripe's webhooks. */
  readonly webhooks: WebhookHandler | undefined
}

function sendPage(response: ServerResponse, page: Page): void {
  response.writeHead(200, {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': page.csp,
    'cache-control': 'no-store',
    'referrer-policy': 'no-referrer',
    'x-content-type-options': 'nosniff',
  })
  response.end(page.html)
}

/** Today's chart of a currency (the first one when none is asked for), as an SVG image. */
function sendChart(response: ServerResponse, feed: SalesFeed, currency: string | null): void {
  const { charts } = feed.charts()
  const chart = currency ? charts.find((c) => c.currency === currency.toLowerCase()) : charts[0]
  if (!chart) {
    response.writeHead(404, { 'content-type': TEXT })
    response.end(currency ? 'No sales in that currency today.\n' : 'No sales today yet.\n')
    return
  }
  response.writeHead(200, {
    'content-type': 'image/svg+xml; charset=utf-8',
    // Opened on its own, the SVG may run nothing and load nothing.
    'content-security-policy': "default-src 'none'",
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
  })
  response.end(chart.svg)
}

/**
 * The routes: `GET /` the page, `GET /events` the stream, `GET /summary.json` today's totals,
 * `GET /chart.svg?currency=usd` today's chart,
 * `GET /logos/:accountId/:mode` an account's logo, `POST /stripe/webhooks` Stripe's webhooks.
 */
export function route(request: IncomingMessage, response: ServerResponse, routes: Routes): void {
  const { page, feed, webhooks } = routes
  const { pathname } = new URL(request.url ?? '/', 'http://localhost')
  // The raw body goes to CashNotify, which checks its signature (and answers 405 to anything but POST).
  if (pathname === WEBHOOK_PATH && webhooks) {
    void webhooks.node(request, response)
    return
  }
  // Node sends no body in answer to HEAD by itself; an event stream is GET only.
  if (request.method !== 'GET' && (request.method !== 'HEAD' || pathname === '/events')) {
    response.writeHead(405, { allow: 'GET, HEAD', 'content-type': TEXT })
    response.end('Only GET here.\n')
    return
  }
  if (pathname === '/' || pathname === '/index.html') {
    sendPage(response, page)
    return
  }
  if (pathname === '/events') {
    const data = { summary: feed.summary(), sales: feed.recent(), charts: feed.charts() }
    const snapshot = { event: 'snapshot', data }
    feed.hub.connect(request, response, [snapshot])
    return
  }
  if (pathname === '/summary.json') {
    response.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'cache-control': 'no-store',
    })
    response.end(JSON.stringify(feed.summary()))
    return
  }
  if (pathname === '/chart.svg') {
    sendChart(response, feed, new URL(request.url ?? '/', 'http://localhost').searchParams.get('currency'))
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
    sendLogo(response, feed.logo(`${logo[1]}/${logo[2]}`))
    return
  }
  response.writeHead(404, { 'content-type': TEXT })
  response.end('Not found.\n')
}
