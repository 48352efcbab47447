import { CashNotify, silentLogger } from '@cashnotify/core'
import { type SimulatorServer, StripeSimulator } from '@cashnotify/stripe-simulator'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createDemoAccounts, type DemoAccount } from '../src/demo-traffic.js'
import { createLiveFeedServer, type LiveFeedServer } from '../src/server.js'
import { launchChromium } from './browser.js'

/** Every wait is bounded: a sale shows up within one poll (1 s) and the sale's settle time (2 s). */
const WAIT = { timeout: 15_000 }

const exactly = (text: string): RegExp => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)

/** Waits until one of `locator`'s elements reads exactly `text`; a timeout says what it read instead. */
async function waitForText(locator: Locator, text: string): Promise<void> {
  try {
    await locator
      .filter({ hasText: exactly(text) })
      .first()
      .waitFor(WAIT)
  } catch (error) {
    const shown = await locator.allTextContents()
    throw new Error(`Expected ${String(locator)} to read "${text}", it reads ${JSON.stringify(shown)}.`, {
      cause: error,
    })
  }
}

describe('the live-feed page, in headless Chromium', { timeout: 30_000 }, () => {
  let browser: Browser | undefined
  let simServer: SimulatorServer | undefined
  let cn: CashNotify | undefined
  let feed: LiveFeedServer
  let page: Page
  let northwind: DemoAccount
  let sakura: DemoAccount
  const problems: string[] = []

  const accountCard = (demo: DemoAccount): Locator =>
    page.locator(`#accounts > li[data-account="${demo.account.id}/live"]`)
  const saleRow = (text: string): Locator => page.locator('#feed > li.sale').filter({ hasText: text })

  beforeAll(async () => {
    browser = await launchChromium() // first: without Chromium, fail at once with the install hint
    const sim = new StripeSimulator({ seed: 1 })
    simServer = await sim.listen()
    const [first, second] = createDemoAccounts(sim)
    if (!first || !second) throw new Error('Expected two demo accounts.')
    northwind = first
    sakura = second
    cn = new CashNotify({
      stripe: { host: simServer.host, port: simServer.port, protocol: 'http' },
      pollInterval: 1000,
      backfill: 0,
      logger: silentLogger,
    })
    cn.on('error', (error) => problems.push(`cashnotify: ${error.message}`))
    feed = await createLiveFeedServer({ cashnotify: cn, port: 0 })
    // Stripe pushes each sale to the page's server, as in the example: polls alone are minutes apart.
    for (const demo of [northwind, sakura]) {
      const url = feed.webhookUrl ?? ''
      const { secret } = sim.addWebhookEndpoint({ account: demo.account.id, url, livemode: true })
      await cn.addAccount({ apiKey: demo.key, webhookSecret: secret })
    }
    await cn.start()

    page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
    // A CSP violation is reported as a console error ("Refused to execute inline script …").
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`)
    })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await feed?.close()
    await cn?.close()
    await simServer?.close()
  })

  it('shows every account, with its logo, and no sales yet on a fresh page', async () => {
    await page.goto(feed.url)
    await page.locator('#connection.live').waitFor(WAIT)
    await waitForText(accountCard(northwind).locator('.account-name'), 'Northwind Coffee')
    await waitForText(accountCard(sakura).locator('.account-name'), 'Sakura Tea House')
    expect(await accountCard(northwind).textContent()).toContain('No sales yet today')
    expect(await page.locator('#charts-empty').isVisible()).toBe(true)
    expect(await page.locator('#feed-empty').isVisible()).toBe(true)
    // The logo comes from the account's Stripe branding icon, through a public file link.
    await page.waitForFunction(
      () => {
        const logos = [...document.querySelectorAll<HTMLImageElement>('#accounts img.logo')]
        return logos.length === 2 && logos.every((img) => img.complete && img.naturalWidth === 64)
      },
      null,
      WAIT,
    )
    expect(feed.clients).toBe(1)
  })

  it('shows a sale made in Stripe (amount, customer, product, account) and updates the totals', async () => {
    const ada = northwind.shop.customer({ email: 'ada@example.com', name: 'Ada Lovelace', country: 'GB' })
    const { price: espresso } = northwind.shop.product({
      name: 'Espresso machine',
      unitAmount: 25_000,
      currency: 'usd',
    })
    northwind.shop.sale({ customer: ada, items: [{ price: espresso, quantity: 2 }] })

    const row = saleRow('ada@example.com')
    await row.waitFor(WAIT)
    expect(await row.locator('.amount').textContent()).toBe('$500.00')
    expect(await row.locator('.products').textContent()).toBe('2 × Espresso machine')
    expect(await row.locator('.customer .name').textContent()).toBe('Ada Lovelace')
    expect(await row.locator('.customer .country').textContent()).toBe('GB')
    expect(await row.locator('.account').textContent()).toBe('Northwind Coffee')
    await waitForText(accountCard(northwind).locator('li[data-currency="usd"] .total'), '$500.00')
    await waitForText(accountCard(northwind).locator('li[data-currency="usd"] .count'), '1 sale')
    await waitForText(page.locator('#all-totals li[data-currency="usd"] .total'), '$500.00')
    // Today's chart, drawn on the server and pushed over the stream, is in the page as inline SVG.
    const usdChart = page.locator('#charts figure[data-currency="usd"] svg[role="img"]')
    await usdChart.waitFor(WAIT)
    expect(await usdChart.locator('desc').textContent()).toContain('$500.00 in total')
    expect(await usdChart.locator('text').allTextContents()).toEqual(
      expect.arrayContaining(['12 AM', '12 PM']),
    )
    expect(await page.locator('#charts-empty').isVisible()).toBe(false)

    // A second sale of the same account adds up, in the same currency.
    const { price: beans } = northwind.shop.product({
      name: 'Beans, 250 g',
      unitAmount: 1_250,
      currency: 'usd',
    })
    northwind.shop.sale({
      guest: { email: 'grace@example.com', country: 'US' },
      items: [{ price: beans }],
      checkout: true,
    })
    await saleRow('grace@example.com').waitFor(WAIT)
    await waitForText(accountCard(northwind).locator('li[data-currency="usd"] .total'), '$512.50')
    await waitForText(accountCard(northwind).locator('li[data-currency="usd"] .count'), '2 sales')

    // A sale in yen (a zero-decimal currency) on the other account: its own card, its own currency.
    const hiro = sakura.shop.customer({ email: 'hiro@example.jp', name: 'Hiro Tanaka', country: 'JP' })
    const { price: matcha } = sakura.shop.product({ name: 'Matcha', unitAmount: 3_200, currency: 'jpy' })
    sakura.shop.sale({ customer: hiro, items: [{ price: matcha }] })
    const yen = saleRow('hiro@example.jp')
    await yen.waitFor(WAIT)
    expect(await yen.locator('.amount').textContent()).toBe('¥3,200')
    expect(await yen.locator('.account').textContent()).toBe('Sakura Tea House')
    await waitForText(accountCard(sakura).locator('li[data-currency="jpy"] .total'), '¥3,200')
    await waitForText(page.locator('#all-totals li[data-currency="jpy"] .total'), '¥3,200')
    expect(await page.locator('#all-totals li .total').allTextContents()).toEqual(['¥3,200', '$512.50'])
    await page.locator('#charts figure[data-currency="jpy"] svg').waitFor(WAIT)
    expect(
      await page
        .locator('#charts figure')
        .evaluateAll((all) => all.map((f) => (f as HTMLElement).dataset.currency)),
    ).toEqual(['jpy', 'usd'])
    expect(await accountCard(northwind).locator('li[data-currency="jpy"]').count()).toBe(0)

    // Newest first.
    expect(await page.locator('#feed > li.sale .customer').allTextContents()).toEqual([
      'Hiro Tanaka · hiro@example.jp · JP',
      'grace@example.com · US',
      'Ada Lovelace · ada@example.com · GB',
    ])
    expect(await page.locator('#feed-empty').isVisible()).toBe(false)
  })

  it("gives a page opened later today's totals and the recent sales as soon as it connects", async () => {
    const later = await browser!.newPage({ viewport: { width: 1280, height: 900 } })
    try {
      await later.goto(feed.url)
      await waitForText(later.locator('#all-totals li[data-currency="usd"] .total'), '$512.50')
      await waitForText(later.locator('#all-totals li[data-currency="jpy"] .total'), '¥3,200')
      expect(await later.locator('#feed > li.sale .amount').allTextContents()).toEqual([
        '¥3,200',
        '$12.50',
        '$500.00',
      ])
      const screenshot = process.env.LIVE_FEED_SCREENSHOT
      if (screenshot) await later.screenshot({ path: screenshot, fullPage: true })
    } finally {
      await later.close()
    }
  })

  it('shows what customers typed as text, never as HTML', async () => {
    const trap = '<img src=x onerror="document.title=\'pwned\'">'
    const mallory = northwind.shop.customer({ email: 'mallory@example.com', name: trap, country: 'US' })
    const { price } = northwind.shop.product({ name: '<script>alert(1)</script>Mug', unitAmount: 900 })
    northwind.shop.sale({ customer: mallory, items: [{ price }] })

    const row = saleRow('mallory@example.com')
    await row.waitFor(WAIT)
    expect(await row.locator('.customer .name').textContent()).toBe(trap)
    expect(await row.locator('.products').textContent()).toBe('<script>alert(1)</script>Mug')
    expect(await row.locator('img').count()).toBe(1) // the account's logo, nothing else
    expect(await row.locator('script').count()).toBe(0)
    expect(await page.title()).toBe('Live sales · CashNotify')
  })

  it('ran without page errors, console errors or CSP violations', () => {
    expect(problems).toEqual([])
  })
})
