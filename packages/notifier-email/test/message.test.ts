import { type DomainEvent, type DomainEventType, NotifierError } from '@cashnotify/core/notifier'
import { DOMAIN_EVENT_TYPES, sampleAccount, sampleEvent, sampleNotification } from '@cashnotify/core/testing'
import { simpleParser } from 'mailparser'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type EmailNotifierOptions, emailNotifier } from '../src/index.js'
import { type Receiver, startReceiver } from './receiver.js'

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
    to: ['jane@example.com', 'Sales Team <sales-team@example.co.uk>'],
    from: 'CashNotify <sales@example.com>',
    smtp: { host: '127.0.0.1', port: receiver.port },
    ...options,
  })
  closers.push(async () => created.close?.())
  return created
}

/** A sample event of `type` whose account name is hostile HTML. */
function hostile(type: DomainEventType): DomainEvent {
  const event = sampleEvent(type)
  const account = sampleAccount({ name: 'Acme <script>alert("pwned")</script> & Co' })
  const customer = { email: 'jane@example.com', name: '<img src=x onerror=alert(1)>', country: 'US' }
  return { ...event, account, ...('customer' in event ? { customer } : {}) } as DomainEvent
}

/** What each type's e-mail must show besides its title, in text and HTML alike. */
const FACTS: Record<DomainEventType, readonly string[]> = {
  sale: [
    '$49.00',
    'Stripe fee',
    '$1.72',
    'Net',
    '$47.28',
    'Pro plan',
    '$49.00 / month, active',
    'pi_Sample01',
  ],
  'sale.updated': [
    '$49.00',
    'Stripe fee',
    '$1.72',
    'Net',
    '$47.28',
    'Pro plan',
    '$49.00 / month, active',
    'pi_Sample01',
  ],
  refund: ['Refunded', '$10.00', '$49.00 (partial refund)', 'requested by customer', 'ch_Sample01'],
  'payment.failed': ['Your card has insufficient funds.', 'insufficient_funds', '$49.00 / month, past_due'],
  'dispute.created': ['Disputed', '$49.00', 'fraudulent', 'Evidence due by', 'Nov 20, 2026'],
  'dispute.closed': ['Outcome', 'won', '$49.00'],
  'subscription.created': ['Pro plan', '$49.00 / month, active'],
  'subscription.canceled': ['Ended', 'Nov 2, 2026', 'canceled'],
  'subscription.trial_will_end': ['Trial ends', 'Nov 5, 2026', 'trialing'],
  'payout.paid': ['$1,200.00', 'Arrival', 'Nov 4, 2026', 'po_Sample01'],
  'payout.failed': ['$1,200.00', 'The bank account has been closed.', 'account_closed'],
}

describe('the e-mail of one notification', () => {
  it('has the title as subject, test mode marked, and goes to every recipient', async () => {
    const email = notifier()
    await email.send(sampleNotification(), context())
    await email.send(
      sampleNotification(sampleEvent('sale'), { livemode: false, title: 'Live title' }),
      context(),
    )
    await email.send(
      sampleNotification(sampleEvent('sale'), { livemode: true, title: '$49.00 sale · Acme Inc' }),
      context(),
    )
    const [test, , live] = receiver.mails
    expect(test?.parsed.subject).toBe('[Test] $49.00 sale · Acme Inc')
    expect(live?.parsed.subject).toBe('$49.00 sale · Acme Inc')
    expect(test?.to).toEqual(['jane@example.com', 'sales-team@example.co.uk'])
    expect(test?.from).toBe('sales@example.com')
    const to = test?.parsed.to
    expect(Array.isArray(to) ? to : to?.value).toMatchObject([
      { address: 'jane@example.com', name: '' },
      { address: 'sales-team@example.co.uk', name: 'Sales Team' },
    ])
    expect(test?.parsed.from?.value).toMatchObject([{ address: 'sales@example.com', name: 'CashNotify' }])
  })

  it('carries the id in X-CashNotify-Id and derives the Message-ID from it, the same on a retry', async () => {
    const email = notifier()
    const notification = sampleNotification()
    await email.send(notification, context())
    await email.send(notification, { ...context(), attempt: 2 })
    const [first, retry] = receiver.mails
    expect(first?.parsed.headers.get('x-cashnotify-id')).toBe('sale:pi_Sample01')
    expect(first?.parsed.headers.get('x-cashnotify-type')).toBe('sale')
    expect(first?.parsed.headers.get('auto-submitted')).toBe('auto-generated')
    expect(first?.parsed.messageId).toBe('<sale=3Api_Sample01@cashnotify>')
    expect(retry?.parsed.messageId).toBe(first?.parsed.messageId)
  })

  it('gives ids that differ only by punctuation different Message-IDs, and never a line break', async () => {
    const email = notifier()
    await email.send(sampleNotification(sampleEvent('sale'), { id: 'a:b' }), context())
    await email.send(sampleNotification(sampleEvent('sale'), { id: 'a-b' }), context())
    await email.send(sampleNotification(sampleEvent('sale'), { id: 'a\r\nBcc: evil@example.com' }), context())
    const ids = receiver.mails.map((mail) => mail.parsed.messageId)
    expect(ids).toEqual([
      '<a=3Ab@cashnotify>',
      '<a-b@cashnotify>',
      '<a=0D=0ABcc=3A=20evil=40example_com@cashnotify>'.replace('_', '=2E'),
    ])
    expect(receiver.mails[2]?.to).toEqual(['jane@example.com', 'sales-team@example.co.uk'])
    expect(receiver.mails[2]?.parsed.headers.has('bcc')).toBe(false)
  })

  it.each(DOMAIN_EVENT_TYPES)('renders %s as text and escaped HTML with its facts', async (type) => {
    const email = notifier()
    const notification = sampleNotification(hostile(type))
    await email.send(notification, context())
    const mail = receiver.mails[0]
    const text = mail?.parsed.text ?? ''
    const html = typeof mail?.parsed.html === 'string' ? mail.parsed.html : ''
    expect(mail?.parsed.subject).toBe(`[Test] ${notification.title.replace('[test] ', '')}`)
    for (const fact of FACTS[type]) {
      expect(text).toContain(fact)
      expect(html).toContain(fact.replace('&', '&amp;'))
    }
    expect(text).toContain('Acme <script>alert("pwned")</script> & Co')
    expect(text).toContain('[Test mode]')
    expect(text).toContain(`View in the Stripe Dashboard: ${notification.url}`)
    expect(html).not.toMatch(/<script|<img src=x|onerror=alert\(1\)>/)
    expect(html).toContain('Acme &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt; &amp; Co')
    expect(html).toContain('Test mode')
    expect(html).toContain(`<a href="${notification.url}"`)
    if ('customer' in notification.event) {
      expect(text).toContain('<img src=x onerror=alert(1)> <jane@example.com> (US)')
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &lt;jane@example.com&gt; (US)')
    }
  })

  it('embeds a logo that has bytes as an inline attachment the HTML refers to by cid', async () => {
    const email = notifier()
    const notification = sampleNotification()
    await email.send(notification, context())
    const mail = receiver.mails[0]
    const [logo, ...others] = mail?.parsed.attachments ?? []
    expect(others).toEqual([])
    expect(logo?.contentType).toBe('image/png')
    expect(logo?.related).toBe(true)
    expect(logo?.contentDisposition).toBe('inline')
    expect(new Uint8Array(logo?.content ?? [])).toEqual(notification.account.logo.data)
    const raw = await simpleParser(mail?.raw ?? '', { keepCidLinks: true })
    expect(raw.html).toContain(`<img src="cid:${logo?.cid}"`)
  })

  it('links a logo known only by URL, and shows none for a logo it cannot use', async () => {
    const email = notifier()
    const url = 'https://files.stripe.com/links/MDB8YWNjdF8x'
    const byUrl = { ...sampleEvent('sale'), account: sampleAccount({ logo: { source: 'stripe', url } }) }
    await email.send(sampleNotification(byUrl), context())
    const unusable = {
      ...sampleEvent('sale'),
      account: sampleAccount({ logo: { source: 'stripe', url: 'javascript:alert(1)' } }),
    }
    await email.send(sampleNotification(unusable), context())
    const [linked, none] = receiver.mails
    expect(linked?.parsed.attachments).toEqual([])
    expect(linked?.parsed.html).toContain(`<img src="${url}"`)
    expect(none?.parsed.html).not.toContain('<img')
    expect(none?.parsed.html).not.toContain('javascript:')
  })

  it('shows no dashboard button without a URL, nor for a URL that is not http(s)', async () => {
    const email = notifier()
    const { url: _url, ...withoutUrl } = sampleNotification()
    await email.send(withoutUrl, context())
    await email.send(sampleNotification(sampleEvent('sale'), { url: 'javascript:alert(1)' }), context())
    for (const mail of receiver.mails) {
      expect(mail.parsed.html).not.toContain('View in the Stripe Dashboard')
      expect(mail.parsed.html).not.toContain('javascript:')
    }
    expect(receiver.mails[0]?.parsed.text).not.toContain('View in the Stripe Dashboard')
  })

  it('says which fields could not be known', async () => {
    const email = notifier()
    const event = { ...sampleEvent('sale'), unavailable: { fee: 'missing permission rak_balance_read' } }
    await email.send(sampleNotification(event), context())
    expect(receiver.mails[0]?.parsed.text).toContain('Not shown: fee (missing permission rak_balance_read).')
  })

  it('shows times in the configured time zone', async () => {
    const email = notifier({ timeZone: 'Asia/Tokyo' })
    await email.send(sampleNotification(), context())
    expect(receiver.mails[0]?.parsed.text).toContain('Nov 2, 2026, 9:00 PM Asia/Tokyo')
  })

  it('uses the `subject` hook, folding line breaks', async () => {
    const email = notifier({
      subject: (n) => `Ka-ching!\r\n${n.amount?.formatted ?? ''} from ${n.account.name}`,
    })
    await email.send(sampleNotification(), context())
    expect(receiver.mails[0]?.parsed.subject).toBe('Ka-ching! $49.00 from Acme Inc')
  })

  it('rejects, not retryable, when the `subject` hook throws, and sends nothing', async () => {
    const email = notifier({
      subject: () => {
        throw new Error('no template')
      },
    })
    const error = await email.send(sampleNotification(), context()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotifierError)
    expect(error).toMatchObject({
      retryable: false,
      message: '[cashnotify] [email] The `subject` option threw: no template',
    })
    expect(receiver.mails).toEqual([])
  })
})
