import { createHash } from 'node:crypto'
import { CashNotify, REQUIRED_PERMISSIONS, silentLogger } from '@cashnotify/core'
import { type SimulatorServer, StripeSimulator, samplePng } from '@cashnotify/stripe-simulator'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLiveFeedServer, type LiveFeedServer } from '../src/server.js'
import type { Summary } from '../src/views.js'

describe('the live-feed server over HTTP', () => {
  let simServer: SimulatorServer
  let cn: CashNotify
  let feed: LiveFeedServer
  let branded: string // an account whose logo is its Stripe branding icon
  let custom: string // an account given a custom logo by the app
  const customLogo = samplePng({ size: 8, rgb: [10, 20, 30] })

  beforeAll(async () => {
    const sim = new StripeSimulator({ seed: 2 })
    simServer = await sim.listen()
    const key = (account: string): string =>
      sim.createKey({
        account,
        kind: 'restricted',
        mode: 'test',
        permissions: [...REQUIRED_PERMISSIONS, 'rak_connected_account_read', 'rak_file_write'],
      })
    branded = sim.createAccount({ businessName: 'Branded', icon: samplePng({ size: 32 }) }).id
    custom = sim.createAccount({ businessName: 'Custom' }).id
    cn = new CashNotify({
      stripe: { host: simServer.host, port: simServer.port, protocol: 'http' },
      backfill: 0,
      logger: silentLogger,
    })
    await cn.addAccount({ apiKey: key(branded) })
    await cn.addAccount({ apiKey: key(custom), logo: customLogo })
    feed = await createLiveFeedServer({ cashnotify: cn, port: 0, timeZone: 'UTC' })
  })

  afterAll(async () => {
    await feed?.close()
    await cn?.close()
    await simServer?.close()
  })

  it('listens on the port it was given (0: a free one) on 127.0.0.1', () => {
    expect(feed.url).toBe(`http://127.0.0.1:${feed.port}/`)
    expect(feed.port).toBeGreaterThan(0)
  })

  it('serves the page with a CSP that allows exactly its own inline script and style', async () => {
    const response = await fetch(feed.url)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8')
    const html = await response.text()
    const csp = response.headers.get('content-security-policy') ?? ''
    const hash = (tag: string): string => {
      const body = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(html)?.[1] ?? ''
      return `'sha256-${createHash('sha256').update(body).digest('base64')}'`
    }
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain(`script-src ${hash('script')}`)
    expect(csp).toContain(`style-src ${hash('style')}`)
    expect(csp).toContain("connect-src 'self'")
    expect(html).not.toMatch(/\.(inner|outer)HTML\s*=|insertAdjacentHTML|document\.write/)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })

  it("redirects to a Stripe logo's public file link, which serves the image", async () => {
    const response = await fetch(new URL(`/logos/${branded}/test`, feed.url), { redirect: 'manual' })
    expect(response.status).toBe(302)
    const location = response.headers.get('location') ?? ''
    expect(location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/links\//)
    const image = await fetch(location)
    expect(image.headers.get('content-type')).toBe('image/png')
    expect(new Uint8Array(await image.arrayBuffer())).toEqual(samplePng({ size: 32 }))
  })

  it("serves a custom logo's bytes with their type", async () => {
    const response = await fetch(new URL(`/logos/${custom}/test`, feed.url))
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('image/png')
    expect(new Uint8Array(await response.arrayBuffer())).toEqual(customLogo)
  })

  it('answers 404 for the logo of an account it does not know, and for unknown paths', async () => {
    expect((await fetch(new URL('/logos/acct_nobody/live', feed.url))).status).toBe(404)
    expect((await fetch(new URL(`/logos/${custom}/other`, feed.url))).status).toBe(404)
    expect((await fetch(new URL('/nope', feed.url))).status).toBe(404)
    expect((await fetch(new URL('/favicon.ico', feed.url))).status).toBe(204)
  })

  it('answers GET and HEAD only', async () => {
    const post = await fetch(feed.url, { method: 'POST' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
    const head = await fetch(feed.url, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
    expect((await fetch(new URL('/events', feed.url), { method: 'HEAD' })).status).toBe(405)
  })

  it('serves the summary: every watched account, with no totals before its first sale', async () => {
    const summary = (await (await fetch(new URL('/summary.json', feed.url))).json()) as Summary
    expect(summary).toEqual(feed.summary())
    expect(summary.timeZone).toBe('UTC')
    expect(summary.all).toEqual([])
    expect(summary.accounts).toEqual([
      {
        key: `${branded}/test`,
        name: 'Branded',
        mode: 'test',
        status: 'active',
        logoUrl: `/logos/${branded}/test`,
        totals: [],
      },
      {
        key: `${custom}/test`,
        name: 'Custom',
        mode: 'test',
        status: 'active',
        logoUrl: `/logos/${custom}/test`,
        totals: [],
      },
    ])
  })

  it('tells open pages when the day changes, so the totals start again even if nothing sells', async () => {
    let now = Date.UTC(2025, 5, 1, 23, 59, 59)
    const other = await createLiveFeedServer({
      cashnotify: cn,
      port: 0,
      timeZone: 'UTC',
      heartbeatMs: 20,
      now: () => now,
    })
    try {
      const reader = (await fetch(new URL('/events', other.url))).body!.getReader()
      const decoder = new TextDecoder()
      let text = ''
      while (!text.includes('"day":"2025-06-01"')) text += decoder.decode((await reader.read()).value)
      now += 2_000
      while (!text.includes('event: summary')) text += decoder.decode((await reader.read()).value)
      expect(text).toMatch(/event: summary\ndata: \{"day":"2025-06-02"/)
      await reader.cancel()
    } finally {
      await other.close()
    }
  })

  it('sends the summary and the recent sales on connect, and ends the stream on close', async () => {
    const other = await createLiveFeedServer({ cashnotify: cn, port: 0 })
    const response = await fetch(new URL('/events', other.url))
    const reader = response.body!.getReader()
    const decoder = new TextDecoder()
    let text = ''
    while (!text.includes('\n\n', text.indexOf('event: snapshot'))) {
      const { value, done } = await reader.read()
      if (done) break
      text += decoder.decode(value, { stream: true })
    }
    const data = /event: snapshot\ndata: (.*)\n\n/.exec(text)?.[1] ?? 'null'
    expect(JSON.parse(data)).toEqual({ summary: other.summary(), sales: [], charts: other.charts() })
    expect(other.clients).toBe(1)

    await other.close()
    let done = false
    while (!done) done = (await reader.read()).done
    expect(other.clients).toBe(0)
    await expect(fetch(other.url)).rejects.toThrow()
  })
})
