import type { DigestComparison, DigestFigures } from '@cashnotify/core/notifier'
import { ConfigError } from '@cashnotify/core/notifier'
import {
  sampleAccount,
  sampleDigest,
  sampleDigestFigures,
  sampleDigestNotification,
} from '@cashnotify/core/testing'
import { simpleParser } from 'mailparser'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type EmailNotifierOptions, emailNotifier } from '../src/index.js'
import { type ReceivedMail, type Receiver, startReceiver } from './receiver.js'

const context = () => ({ signal: new AbortController().signal, attempt: 1 })

let receiver: Receiver
let closers: Array<() => Promise<void>>

beforeEach(async () => {
  receiver = await startReceiver()
  closers = []
})
afterEach(async () => {
  for (const close of closers) await close()
  await receiver.close()
})

function notifier(options: Partial<EmailNotifierOptions> = {}) {
  const created = emailNotifier({
    to: 'jane@example.com',
    from: 'CashNotify <sales@example.com>',
    smtp: { host: '127.0.0.1', port: receiver.port },
    ...options,
  })
  closers.push(async () => created.close?.())
  if (!created.sendDigest) throw new Error('the e-mail notifier has no sendDigest')
  return { ...created, sendDigest: created.sendDigest.bind(created) }
}

const html = (mail: ReceivedMail | undefined): string =>
  typeof mail?.parsed.html === 'string' ? mail.parsed.html : ''
const text = (mail: ReceivedMail | undefined): string => mail?.parsed.text ?? ''
/** The `cid:` of every `<img>` of the HTML part, in order. */
const imageCids = (source: string): string[] =>
  [...source.matchAll(/<img src="cid:([^"]+)"/g)].map((m) => m[1] ?? '')
/** The width and height a PNG's IHDR chunk states (it is the first chunk, after the 8-byte signature). */
const pngSize = (png: Buffer) => ({ width: png.readUInt32BE(16), height: png.readUInt32BE(20) })
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** A comparison in `currency` with one sale of `amount` at 10:00, against nothing before. */
function oneSale(currency: string, amount: number): DigestComparison {
  const series = Array.from({ length: 24 }, (_, hour) => (hour === 10 ? amount : 0))
  return {
    current: sampleDigestFigures(currency, { series, sales: 1 }),
    previous: sampleDigestFigures(currency),
  }
}

describe('the e-mail of a digest', () => {
  it('has the digest title as subject, [Test] for test data, and a Message-ID derived from the digest id', async () => {
    const email = notifier()
    const digest = sampleDigestNotification()
    await email.sendDigest(digest, context())
    await email.sendDigest(digest, { ...context(), attempt: 2 })
    const [first, retry] = receiver.mails
    expect(first?.parsed.subject).toBe('[Test] Acme Inc · Tuesday, Nov 3: $1,240.00 from 18 sales')
    expect(first?.parsed.headers.get('x-cashnotify-id')).toBe(digest.id)
    expect(first?.parsed.headers.get('x-cashnotify-type')).toBe('digest')
    expect(first?.parsed.messageId).toBe(
      '<digest=3Adaily=3Aacct_1SampleAcmeInc00=2Ftest=3A2026-11-03T05=3A00=3A00=2E000Z@cashnotify>',
    )
    expect(retry?.parsed.messageId).toBe(first?.parsed.messageId)

    const live = sampleDigest({ livemode: true, account: sampleAccount({ mode: 'live' }) })
    await email.sendDigest(sampleDigestNotification(live, { title: 'Acme Inc · Tuesday' }), context())
    expect(receiver.mails[2]?.parsed.subject).toBe('Acme Inc · Tuesday')
  })

  it('shows every figure of each currency with the previous period and the change, in text and HTML', async () => {
    await notifier().sendDigest(sampleDigestNotification(), context())
    const mail = receiver.mails[0]
    const body = text(mail)
    const lines = body.split('\n')
    const line = (label: string) => lines.find((l) => l.startsWith(`${label} `)) ?? ''
    // Figure, this period, before, change (the USD section comes first: the largest gross).
    expect(line('Gross sales')).toMatch(/\$1,240\.00\s+\$1,110\.00\s+\+12%$/)
    expect(line('Refunds')).toMatch(/\$49\.00\s+\$0\.00\s+new$/)
    expect(line('Disputes')).toMatch(/\$0\.00\s+\$49\.00\s+−100%$/)
    expect(line('Stripe fees')).toMatch(/\$41\.36\s+\$36\.99\s+\+12%$/)
    expect(line('Net')).toMatch(/\$1,149\.64\s+\$1,024\.01\s+\+12%$/)
    expect(line('Sales')).toMatch(/18\s+16\s+\+2$/)
    expect(line('New customers')).toMatch(/9\s+10\s+−1$/)
    expect(line('Returning customers')).toMatch(/6\s+4\s+\+2$/)
    expect(line('Subscriptions started')).toMatch(/4\s+2\s+\+2$/)
    expect(line('Subscriptions canceled')).toMatch(/1\s+0\s+\+1$/)
    expect(line('MRR change')).toMatch(/\+\$147\.00 \/ month\s+\+\$98\.00 \/ month\s+\+\$49\.00$/)
    expect(line('Failed payments')).toMatch(/2\s+1\s+\+1$/)
    expect(line('Payouts')).toMatch(/1\s+0\s+\+1$/)
    expect(line('Paid out')).toMatch(/\$980\.00\s+\$0\.00\s+new$/)
    expect(line('Pro plan')).toMatch(/\$686\.00\s+14 sold\s+\+17%$/)
    expect(line('United States (US)')).toMatch(/\$700\.00\s+10 sales\s+−12%$/)
    expect(line('Germany (DE)')).toMatch(/\$246\.00\s+4 sales\s+—$/)
    expect(body).toContain('Tuesday, November 3, 2026 (America/New_York time), compared with the day before')
    expect(body).toMatch(/EUR\n---\n/)
    expect(body).toMatch(/\nGross sales\s+€98\.00\s+€49\.00\s+\+100%\n/)
    expect(body).toContain('no total across currencies without exchange rates')
    expect(body).toContain('[Test mode]')
    const page = html(mail)
    for (const fact of [
      '$1,240.00',
      '$1,110.00',
      '+12%',
      '$1,149.64',
      'Team plan',
      'France (FR)',
      '€98.00',
    ]) {
      expect(page).toContain(fact)
    }
    expect(page).toContain('Test mode</span>')
  })

  it('attaches each chart inline as a PNG of the right size, shown by cid with the chart description as alt', async () => {
    await notifier().sendDigest(sampleDigestNotification(), context())
    const mail = receiver.mails[0]
    // mailparser turns cid: links into data: URIs unless told to keep them.
    const parsed = await simpleParser(mail?.raw ?? '', { keepCidLinks: true })
    const page = typeof parsed.html === 'string' ? parsed.html : ''
    const attachments = mail?.parsed.attachments ?? []
    expect(attachments.map((a) => a.contentType)).toEqual(['image/png', 'image/png'])
    const cids = imageCids(page)
    expect(cids).toEqual(attachments.map((a) => a.cid))
    for (const attachment of attachments) {
      expect(attachment.contentDisposition).toBe('inline')
      expect(attachment.content.subarray(0, 8)).toEqual(PNG_SIGNATURE)
      // 560 × 280 CSS pixels, drawn at twice the density.
      expect(pngSize(attachment.content)).toEqual({ width: 1120, height: 560 })
    }
    expect(page).toMatch(
      /<img src="cid:[^"]+" alt="Sales by hour · Tue, Nov 3, 2026, in USD, America\/New_York time: \$1,240\.00 in total\.[^"]*" width="560" height="280"/,
    )
    expect(page).toMatch(/alt="Sales by hour · Tue, Nov 3, 2026, in EUR/)
  })

  it('charts the three largest currencies only, and says why the others have none', async () => {
    const currencies = [oneSale('usd', 9000), oneSale('eur', 8000), oneSale('gbp', 7000), oneSale('jpy', 600)]
    await notifier().sendDigest(sampleDigestNotification(sampleDigest({ currencies })), context())
    const mail = receiver.mails[0]
    const alts = [...html(mail).matchAll(/alt="Sales by hour · [^,]+, [^,]+, \d+, in ([A-Z]{3})/g)].map(
      (m) => m[1],
    )
    expect(alts).toEqual(['USD', 'EUR', 'GBP'])
    expect(mail?.parsed.attachments).toHaveLength(3)
    expect(text(mail)).toMatch(/JPY\n---\n\s+This period/)
    expect(text(mail)).toContain(
      'Charts are shown for the 3 currencies with the most sales; the other 1 have',
    )
  })

  it('shows the converted total when there is one', async () => {
    const current: DigestFigures = sampleDigestFigures('usd', { gross: 134_780, sales: 20 })
    const previous: DigestFigures = sampleDigestFigures('usd', { gross: 116_390, sales: 17 })
    const digest = sampleDigest({ total: { current, previous } })
    await notifier().sendDigest(sampleDigestNotification(digest), context())
    const body = text(receiver.mails[0])
    expect(body).toMatch(
      /All currencies, converted to USD\n-+\n.*\nGross sales\s+\$1,347\.80\s+\$1,163\.90\s+\+16%\n/,
    )
    expect(body).not.toContain('no total across currencies')
  })

  it('says plainly that an empty period had nothing, and still compares with the day before', async () => {
    const previous = sampleDigestFigures('usd', {
      series: Array.from({ length: 24 }, (_, h) => (h === 9 ? 4900 : 0)),
    })
    const digest = sampleDigest({
      empty: true,
      currencies: [{ current: sampleDigestFigures('usd'), previous }],
    })
    await notifier().sendDigest(sampleDigestNotification(digest), context())
    const mail = receiver.mails[0]
    expect(text(mail)).toContain('No sales, refunds, subscriptions or payouts this day.')
    expect(text(mail)).toMatch(/\nGross sales\s+\$0\.00\s+\$49\.00\s+−100%\n/)
    expect(html(mail)).toContain('No sales, refunds, subscriptions or payouts this day.')
    expect(mail?.parsed.attachments).toHaveLength(1)

    await notifier().sendDigest(
      sampleDigestNotification(sampleDigest({ empty: true, currencies: [] })),
      context(),
    )
    expect(text(receiver.mails[1])).toContain('No sales, refunds, subscriptions or payouts this day.')
    expect(receiver.mails[1]?.parsed.attachments).toHaveLength(0)
  })

  it('escapes account and product names in the HTML', async () => {
    const account = sampleAccount({ name: 'Acme <script>alert("pwned")</script> & Co' })
    const [usd, ...others] = sampleDigest().currencies
    const product = { name: '<img src=x onerror=alert(1)>', amount: 4900, quantity: 1 }
    const currencies = [{ ...usd!, current: { ...usd!.current, topProducts: [product] } }, ...others]
    const digest = sampleDigest({ account, accounts: [account], currencies })
    await notifier().sendDigest(sampleDigestNotification(digest), context())
    const page = html(receiver.mails[0])
    expect(page).not.toContain('<script>')
    expect(page).not.toContain('<img src=x')
    expect(page).toContain('Acme &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; Co')
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(text(receiver.mails[0])).toContain('<img src=x onerror=alert(1)>')
  })

  it('sends the figures alone with digestChart: false, and uses the digestSubject hook', async () => {
    const email = notifier({ digestChart: false, digestSubject: (d) => `Daily: ${d.digest.period.timeZone}` })
    await email.sendDigest(sampleDigestNotification(), context())
    const mail = receiver.mails[0]
    expect(mail?.parsed.subject).toBe('Daily: America/New_York')
    expect(mail?.parsed.attachments).toHaveLength(0)
    expect(imageCids(html(mail))).toEqual([])
    expect(text(mail)).toContain('$1,240.00')
  })

  it('still sends the digest when its chart cannot be drawn, saying why', async () => {
    const email = notifier({ digestChart: { fontFiles: ['/nonexistent/DejaVuSans.ttf'] } })
    await email.sendDigest(sampleDigestNotification(), context())
    const mail = receiver.mails[0]
    expect(mail?.parsed.attachments).toHaveLength(0)
    expect(text(mail)).toContain(
      'A chart was left out: Expected `fontFiles[0]` to be the path of an existing font file',
    )
    expect(text(mail)).toContain('$1,240.00')
  })

  it('refuses bad digest options in one ConfigError', () => {
    const bad = () =>
      emailNotifier({
        to: 'jane@example.com',
        from: 'sales@example.com',
        smtp: { host: '127.0.0.1' },
        digestChart: 'yes' as unknown as boolean,
        digestSubject: 'Daily' as unknown as () => string,
      })
    expect(bad).toThrow(ConfigError)
    expect(bad).toThrow(
      /`digestChart` to be a boolean, or `\{ fontFiles \}` with the paths of DejaVu Sans, got "yes"/,
    )
    expect(bad).toThrow(/`digestSubject` to be a function of the digest, got "Daily"/)
  })

  it('sends nothing for an aborted signal or after close()', async () => {
    const email = notifier()
    const controller = new AbortController()
    controller.abort(new Error('stopping'))
    await expect(
      email.sendDigest(sampleDigestNotification(), { signal: controller.signal, attempt: 1 }),
    ).rejects.toThrow(/aborted/)
    await email.close?.()
    await expect(email.sendDigest(sampleDigestNotification(), context())).rejects.toThrow(/closed/)
    expect(receiver.mails).toHaveLength(0)
  })
})
