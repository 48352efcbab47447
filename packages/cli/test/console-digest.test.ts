import { formatAmount, type Notification, printable } from '@cashnotify/core'
import { sampleDigest, sampleDigestNotification, sampleNotification } from '@cashnotify/core/testing'
import { describe, expect, it } from 'vitest'
import { consoleNotifier } from '../src/notifiers/console.js'
import { jsonLines } from './support/harness.js'

const AT = Date.UTC(2026, 10, 4, 14, 0, 5)
const context = () => ({ signal: new AbortController().signal, attempt: 1 })

/** The console notifier writing into an array, at a fixed time. */
function printer(format: 'text' | 'json' = 'text') {
  const lines: string[] = []
  const notifier = consoleNotifier({ write: (line) => void lines.push(line), format, now: () => AT })
  return { lines, notifier }
}

describe('the console notifier’s digests', () => {
  it('prints a digest as a few lines: per currency gross, net, sales, the top product, and the change', async () => {
    const { lines, notifier } = printer()
    const notification = sampleDigestNotification()
    await notifier.sendDigest?.(notification, context())
    const [usd, eur] = notification.digest.currencies
    const net = formatAmount(usd?.current.net ?? 0, 'usd')
    expect(net).toBe('$1,149.64') // 1,240.00 − 49.00 refunds − 41.36 fees
    expect(lines).toEqual([
      expect.stringMatching(/^\d\d:\d\d:05 📊 Acme Inc · Tuesday, Nov 3: \$1,240\.00 from 18 sales$/),
      `         USD  gross $1,240.00 · net ${net} · 18 sales`,
      '              top Pro plan ($686.00) · refunds $49.00 · 15 customers (9 new)',
      '              vs Mon, Nov 2: $1,110.00 from 16 sales (+12%)',
      `         EUR  gross €98.00 · net ${formatAmount(eur?.current.net ?? 0, 'eur')} · 2 sales`,
      '              top Pro plan (€98.00) · 2 customers (1 new)',
      '              vs Mon, Nov 2: €49.00 from 1 sale (+100%)',
    ])
  })

  it('says so when nothing happened, and when the period before sold nothing', async () => {
    const { lines, notifier } = printer()
    const empty = sampleDigest({ currencies: [], empty: true })
    await notifier.sendDigest?.(sampleDigestNotification(empty), context())
    expect(lines.slice(1)).toEqual(['         no sales, nothing else either'])
    const [usd] = sampleDigest().currencies
    if (!usd) throw new Error('the sample digest has dollars')
    const fresh = sampleDigest({
      currencies: [{ current: usd.current, previous: { ...usd.previous, gross: 0, sales: 0 } }],
    })
    await notifier.sendDigest?.(sampleDigestNotification(fresh), context())
    expect(lines.at(-1)).toBe('              vs Mon, Nov 2: $0.00 from 0 sales (up from nothing)')
  })

  it('writes a digest as one JSON line with the figures in minor units', async () => {
    const { lines, notifier } = printer('json')
    const notification = sampleDigestNotification()
    await notifier.sendDigest?.(notification, context())
    expect(lines).toHaveLength(1)
    expect(jsonLines(lines)[0]).toMatchObject({
      msg: notification.title,
      notifier: 'console',
      id: notification.id,
      type: 'digest',
      schedule: 'daily',
      account: 'acct_1SampleAcmeInc00/test',
      period: { start: '2026-11-03T05:00:00.000Z', end: '2026-11-04T05:00:00.000Z' },
      currencies: [
        {
          currency: 'usd',
          gross: 124_000,
          net: 114_964,
          sales: 18,
          topProduct: 'Pro plan',
          previous: { gross: 111_000 },
        },
        { currency: 'eur', gross: 9800, sales: 2, previous: { gross: 4900, sales: 1 } },
      ],
    })
  })

  it('makes the names in a digest printable: a product cannot rewrite the terminal', async () => {
    const { lines, notifier } = printer()
    const forged = 'Pro\r\x1b[2K$99,999.00'
    const base = sampleDigest()
    const [usd] = base.currencies
    if (!usd) throw new Error('the sample digest has dollars')
    const product = { name: forged, amount: 100, quantity: 1 }
    const digest = sampleDigest({
      currencies: [{ ...usd, current: { ...usd.current, topProducts: [product] } }],
    })
    await notifier.sendDigest?.(sampleDigestNotification(digest, { title: `Acme ${forged}` }), context())
    expect(lines.every((line) => printable(line) === line)).toBe(true)
    expect(lines[0]).toContain(`Acme ${printable(forged)}`)
    expect(lines[2]).toContain(`top ${printable(forged)} ($1.00)`)
  })

  it('gives up a digest whose write stalls when the send is aborted', async () => {
    const notifier = consoleNotifier({ write: () => new Promise<void>(() => {}) })
    const controller = new AbortController()
    const sending = notifier.sendDigest?.(sampleDigestNotification(), {
      signal: controller.signal,
      attempt: 1,
    })
    controller.abort(new Error('timed out'))
    await expect(sending).rejects.toThrow('timed out')
  })
})

describe('the console notifier and rules', () => {
  const large: Notification = {
    ...sampleNotification(),
    body: 'Large sale (from $100.00)\njane@example.com (US) · Pro plan',
    marks: [{ type: 'large_sale', threshold: { amount: 10_000, currency: 'usd', formatted: '$100.00' } }],
  }

  it('shows a large sale with its own symbol, its mark and its body on one line', async () => {
    const { lines, notifier } = printer()
    await notifier.send(large, context())
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^\d\d:\d\d:05 🚀 /)
    expect(lines[0]).toContain(
      `${large.title} — Large sale (from $100.00) · jane@example.com (US) · Pro plan`,
    )
  })

  it('puts the marks and the size of a group in its JSON line', async () => {
    const { lines, notifier } = printer('json')
    const group: Notification = { ...large, group: [sampleNotification(), sampleNotification()] }
    await notifier.send(group, context())
    expect(jsonLines(lines)[0]).toMatchObject({ marks: ['large_sale'], group: 2, body: group.body })
  })
})
