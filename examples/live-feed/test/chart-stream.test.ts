import { CashNotify, silentLogger } from '@cashnotify/core'
import { type SimulatorServer, StripeSimulator } from '@cashnotify/stripe-simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChartsView } from '../src/charts.js'
import { createDemoAccounts, type DemoAccount } from '../src/demo-traffic.js'
import { createLiveFeedServer, type LiveFeedServer } from '../src/server.js'

/** The non-zero bars of today's series in a Vega SVG. */
function bars(svg: string): number {
  const group = /<g class="mark-rect role-mark current_marks"[^>]*>(.*?)<\/g>/.exec(svg)?.[1] ?? ''
  return [...group.matchAll(/<path d="M[-\d.]+,[-\d.]+h[-\d.]+v([-\d.]+)h/g)].filter(
    (m) => Number(m[1]) !== 0,
  ).length
}

/** Reads a stream's events until one named `name` comes; returns its parsed data. */
async function nextEvent(reader: ReadableStreamDefaultReader<Uint8Array>, name: string): Promise<unknown> {
  const decoder = new TextDecoder()
  let text = ''
  for (;;) {
    const match = new RegExp(`(?:^|\\n)event: ${name}\\ndata: (.*)\\n\\n`).exec(text)
    if (match) return JSON.parse(match[1] ?? 'null')
    const { value, done } = await reader.read()
    if (done) throw new Error(`The stream ended before a ${name} event; it sent: ${text}`)
    text += decoder.decode(value, { stream: true })
  }
}

describe("today's chart on the stream and at /chart.svg", { timeout: 30_000 }, () => {
  let simServer: SimulatorServer
  let cn: CashNotify
  let feed: LiveFeedServer
  let northwind: DemoAccount

  beforeAll(async () => {
    const sim = new StripeSimulator({ seed: 3 })
    simServer = await sim.listen()
    const [first] = createDemoAccounts(sim)
    if (!first) throw new Error('Expected a demo account.')
    northwind = first
    cn = new CashNotify({
      stripe: { host: simServer.host, port: simServer.port, protocol: 'http' },
      pollInterval: 1000,
      backfill: 0,
      logger: silentLogger,
    })
    feed = await createLiveFeedServer({ cashnotify: cn, port: 0, timeZone: 'UTC', chartDebounceMs: 20 })
    // Stripe pushes the sale to the server within a second, as in the example.
    const { secret } = sim.addWebhookEndpoint({
      account: northwind.account.id,
      url: feed.webhookUrl ?? '',
      livemode: true,
    })
    await cn.addAccount({ apiKey: northwind.key, webhookSecret: secret })
    await cn.start()
  }, 30_000)

  afterAll(async () => {
    await feed?.close()
    await cn?.close()
    await simServer?.close()
  })

  it('has no chart before the first sale, then pushes one with a bar and its axis labels', async () => {
    expect((await fetch(new URL('/chart.svg', feed.url))).status).toBe(404)
    const reader = (await fetch(new URL('/events', feed.url))).body!.getReader()
    const snapshot = (await nextEvent(reader, 'snapshot')) as { charts: ChartsView }
    expect(snapshot.charts.charts).toEqual([])

    const { price } = northwind.shop.product({ name: 'Pour-over kit', unitAmount: 4900, currency: 'usd' })
    northwind.shop.sale({
      guest: { email: 'ada@example.com', country: 'GB' },
      items: [{ price }],
      checkout: true,
    })
    const pushed = (await nextEvent(reader, 'chart')) as ChartsView
    await reader.cancel()

    expect(pushed.day).toBe(new Date().toISOString().slice(0, 10))
    const [usd] = pushed.charts
    expect(usd?.currency).toBe('usd')
    expect(bars(usd?.svg ?? '')).toBe(1)
    expect(usd?.svg).toMatch(/^<svg [^>]*role="img"/)
    for (const label of ['12 AM', '12 PM', '$0', 'Sales by hour']) expect(usd?.svg).toContain(label)
    expect(usd?.description).toContain('$49.00 in total')
    expect(feed.charts()).toEqual(pushed)

    const served = await fetch(new URL('/chart.svg?currency=USD', feed.url))
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8')
    expect(served.headers.get('content-security-policy')).toBe("default-src 'none'")
    expect(await served.text()).toBe(usd?.svg)
    expect((await fetch(new URL('/chart.svg?currency=jpy', feed.url))).status).toBe(404)
  })

  it('gives a page that connects later the chart in its snapshot', async () => {
    const reader = (await fetch(new URL('/events', feed.url))).body!.getReader()
    const snapshot = (await nextEvent(reader, 'snapshot')) as { charts: ChartsView }
    await reader.cancel()
    expect(snapshot.charts).toEqual(feed.charts())
    expect(bars(snapshot.charts.charts[0]?.svg ?? '')).toBe(1)
  })
})
