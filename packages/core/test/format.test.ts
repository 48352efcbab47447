import { describe, expect, it } from 'vitest'
import { toNotification } from '../src/delivery/notification.js'
import { type FormatHook, formatNotification } from '../src/delivery/text/format.js'
import type { DomainEvent, DomainEvents, DomainEventType, Money } from '../src/enrich/domain-events.js'
import { eventAmount } from '../src/enrich/domain-events.js'
import { money } from '../src/shared/money.js'
import { DOMAIN_EVENT_TYPES, sampleAccount, sampleEvent } from '../src/testing/fixtures.js'

const UTC = { timeZone: 'UTC' } as const

/** Every `Money` anywhere in an event, to prove none of them is printed. */
function amountsOf(value: unknown, found: Money[] = []): Money[] {
  if (typeof value !== 'object' || value === null || value instanceof Date) return found
  if ('formatted' in value && 'currency' in value) found.push(value as Money)
  for (const item of Object.values(value)) amountsOf(item, found)
  return found
}

/** Fields an event may lack; `minimal()` removes them all. */
const OPTIONAL = [
  'dashboardUrl',
  'customer',
  'fee',
  'net',
  'description',
  'chargeAmount',
  'reason',
  'declineCode',
  'evidenceDueBy',
  'trialEnd',
  'endsAt',
  'arrivalDate',
  'failureCode',
  'failureMessage',
  'subscription',
]

/** The event with only its required fields. */
function minimal<T extends DomainEventType>(type: T): DomainEvents[T] {
  const event = { ...(sampleEvent(type) as object) } as Record<string, unknown>
  for (const key of OPTIONAL) delete event[key]
  if ('products' in event) event.products = []
  if (type.startsWith('subscription.')) event.subscription = { id: 'sub_1' }
  if (type === 'dispute.created') event.reason = 'general'
  return event as unknown as DomainEvents[T]
}

describe('formatNotification', () => {
  const expected: Record<DomainEventType, [title: string, body: string]> = {
    sale: ['[test] $49.00 sale · Acme Inc', 'jane@example.com (US) · Pro plan · fee $1.72'],
    'sale.updated': ['[test] $49.00 sale details · Acme Inc', 'jane@example.com (US) · Pro plan · fee $1.72'],
    refund: [
      '[test] $10.00 refund · Acme Inc',
      'Partial refund of a $49.00 payment · jane@example.com (US) · requested by customer',
    ],
    'payment.failed': [
      '[test] $49.00 payment failed · Acme Inc',
      'jane@example.com (US) · insufficient funds · subscription renewal',
    ],
    'dispute.created': [
      '[test] $49.00 dispute · Acme Inc',
      'Reason: fraudulent · evidence due by Nov 20, 2026',
    ],
    'dispute.closed': ['[test] $49.00 dispute won · Acme Inc', 'Closed as won'],
    'subscription.created': [
      '[test] New $49.00/month subscription · Acme Inc',
      'jane@example.com (US) · Pro plan',
    ],
    'subscription.canceled': [
      '[test] Subscription canceled · Acme Inc',
      'jane@example.com (US) · $49.00/month · canceled immediately, Nov 2, 2026',
    ],
    'subscription.trial_will_end': [
      '[test] Trial ending · Acme Inc',
      'jane@example.com (US) · trial ends Nov 5, 2026 · then $49.00/month',
    ],
    'payout.paid': ['[test] $1,200.00 payout · Acme Inc', 'Arrives in your bank on Nov 4, 2026'],
    'payout.failed': ['[test] $1,200.00 payout failed · Acme Inc', 'The bank account has been closed.'],
  }

  it.each(DOMAIN_EVENT_TYPES)('words a %s event its own way', (type) => {
    const [title, body] = expected[type]
    expect(formatNotification(sampleEvent(type), UTC)).toEqual({ title, body })
  })

  it('marks test mode, and only test mode', () => {
    const live = { ...sampleEvent('sale'), livemode: true, account: sampleAccount({ mode: 'live' }) }
    expect(formatNotification(live).title).toBe('$49.00 sale · Acme Inc')
    expect(formatNotification(sampleEvent('sale')).title).toBe('[test] $49.00 sale · Acme Inc')
  })

  it.each(DOMAIN_EVENT_TYPES)('privacy: true hides the customer of a %s event, not the amount', (type) => {
    const event = sampleEvent(type)
    const { title, body } = formatNotification(event, { ...UTC, privacy: true })
    for (const secret of ['jane', 'Jane Doe', 'example.com', '(US)', 'US'])
      expect(`${title}\n${body}`).not.toContain(secret)
    if ('amount' in event) expect(title).toContain(event.amount.formatted)
  })

  it.each(DOMAIN_EVENT_TYPES)('privacy { amounts: true } hides every amount of a %s event', (type) => {
    const event = sampleEvent(type)
    const { title, body } = formatNotification(event, { ...UTC, privacy: { amounts: true } })
    const amounts = amountsOf(event)
    expect(amounts.length).toBeGreaterThan(0)
    for (const { formatted } of amounts) expect(`${title}\n${body}`).not.toContain(formatted)
    expect(`${title}\n${body}`).not.toContain('$')
    expect(`${title}\n${body}`).not.toContain('jane@example.com')
  })

  it('privacy can hide amounts and keep the customer', () => {
    const text = formatNotification(sampleEvent('sale'), { privacy: { customer: false, amounts: true } })
    expect(text).toEqual({ title: '[test] Sale · Acme Inc', body: 'jane@example.com (US) · Pro plan' })
  })

  it('without the customer, the body still starts with a capital', () => {
    expect(formatNotification(sampleEvent('payment.failed'), { privacy: true }).body).toBe(
      'Insufficient funds · subscription renewal',
    )
  })

  it('prints zero- and three-decimal money as the event formatted it', () => {
    const yen = { ...sampleEvent('sale'), amount: money(4900, 'jpy'), fee: money(196, 'jpy') }
    expect(formatNotification(yen)).toEqual({
      title: '[test] ¥4,900 sale · Acme Inc',
      body: 'jane@example.com (US) · Pro plan · fee ¥196',
    })
    const kwd = { ...sampleEvent('payout.paid'), amount: money(4900, 'kwd') }
    expect(formatNotification(kwd).title).toBe(`[test] ${money(4900, 'kwd').formatted} payout · Acme Inc`)
    expect(money(4900, 'kwd').formatted).toContain('4.900')
    // Never re-formatted: whatever the enricher wrote is shown.
    const custom = {
      ...sampleEvent('sale'),
      amount: { amount: 4900, currency: 'kwd', formatted: '4.900 د.ك' },
    }
    expect(formatNotification(custom).title).toBe('[test] 4.900 د.ك sale · Acme Inc')
  })

  it.each(DOMAIN_EVENT_TYPES)('prints no missing field of a bare %s event', (type) => {
    const { title, body } = formatNotification(minimal(type) as DomainEvent)
    for (const text of [title, body]) {
      expect(text).not.toMatch(/undefined|null|NaN|Invalid Date|\[object/)
      expect(text).not.toMatch(/^ · | · $| · {2}· /)
    }
    expect(title).toMatch(/^\[test\] .+ · Acme Inc$/)
  })

  it('leaves out what a bare event lacks', () => {
    expect(formatNotification(minimal('sale'))).toEqual({ title: '[test] $49.00 sale · Acme Inc', body: '' })
    expect(formatNotification(minimal('subscription.created'))).toEqual({
      title: '[test] New subscription · Acme Inc',
      body: '',
    })
    expect(formatNotification(minimal('subscription.canceled')).body).toBe('Canceled immediately')
    expect(formatNotification(minimal('payout.paid')).body).toBe('')
    expect(formatNotification(minimal('payout.failed')).body).toBe('')
    const invalid = { ...sampleEvent('dispute.created'), evidenceDueBy: new Date(Number.NaN) }
    expect(formatNotification(invalid).body).toBe('Reason: fraudulent')
  })

  it('shows a customer by name or country when the email is unknown', () => {
    const byName = { ...sampleEvent('sale'), customer: { name: 'Jane Doe' } }
    expect(formatNotification(byName).body).toBe('Jane Doe · Pro plan · fee $1.72')
    const byCountry = { ...sampleEvent('sale'), customer: { country: 'FR' } }
    expect(formatNotification(byCountry).body).toBe('customer from FR · Pro plan · fee $1.72')
  })

  it('lists quantities and shortens long product lists', () => {
    const lines = ['Pro plan', 'Stickers', 'Mug'].map((name, i) => ({ name, quantity: i + 1 }))
    const sale = { ...sampleEvent('sale'), products: lines, fee: undefined }
    const { fee: _fee, ...noFee } = sale
    expect(formatNotification(noFee).body).toBe('jane@example.com (US) · Pro plan, 2 × Stickers +1 more')
    const described = { ...noFee, products: [], description: 'Consulting' }
    expect(formatNotification(described).body).toBe('jane@example.com (US) · Consulting')
  })

  it('tells a full refund from a partial one', () => {
    const full = { ...sampleEvent('refund'), full: true, amount: money(4900, 'usd') }
    expect(formatNotification(full).body).toBe('Full refund · jane@example.com (US) · requested by customer')
  })

  it('tells a cancellation now from one at the period end', () => {
    const ends = new Date('2026-12-02T12:00:00Z')
    const scheduled = { ...sampleEvent('subscription.canceled'), scheduled: true, endsAt: ends }
    expect(formatNotification(scheduled, UTC)).toEqual({
      title: '[test] Subscription set to cancel · Acme Inc',
      body: 'jane@example.com (US) · $49.00/month · ends at period end, Dec 2, 2026',
    })
    const { endsAt: _e, ...unknownEnd } = { ...scheduled, reason: 'too_expensive' }
    expect(formatNotification(unknownEnd).body).toBe(
      'jane@example.com (US) · $49.00/month · ends at period end · too expensive',
    )
  })

  it('words every dispute outcome', () => {
    const closed = sampleEvent('dispute.closed')
    expect(formatNotification({ ...closed, outcome: 'lost' }).title).toBe(
      '[test] $49.00 dispute lost · Acme Inc',
    )
    expect(formatNotification({ ...closed, outcome: 'warning_closed' })).toEqual({
      title: '[test] $49.00 dispute closed · Acme Inc',
      body: 'Closed as warning closed',
    })
  })

  it('words a billing interval', () => {
    const event = sampleEvent('subscription.created')
    const quarterly = { ...event, subscription: { ...event.subscription, intervalCount: 3 } }
    expect(formatNotification(quarterly).title).toBe(
      '[test] New $49.00 every 3 months subscription · Acme Inc',
    )
  })

  it('falls back to the failure code of a payout', () => {
    const { failureMessage: _m, ...failed } = sampleEvent('payout.failed')
    expect(formatNotification(failed).body).toBe('Account closed')
  })

  it('formats dates in the locale and time zone', () => {
    const dispute = sampleEvent('dispute.created')
    expect(formatNotification(dispute, { locale: 'de-DE', timeZone: 'UTC' }).body).toBe(
      'Reason: fraudulent · evidence due by 20.11.2026',
    )
    // 12:00 UTC on Nov 2 is already Nov 3 at UTC+14.
    const canceled = sampleEvent('subscription.canceled')
    expect(formatNotification(canceled, { timeZone: 'Pacific/Kiritimati' }).body).toContain('Nov 3, 2026')
    // A payout's arrival date is a calendar date: the same day in every time zone.
    const payout = sampleEvent('payout.paid')
    expect(formatNotification(payout, { timeZone: 'America/Los_Angeles' }).body).toBe(
      'Arrives in your bank on Nov 4, 2026',
    )
  })

  it('lets a format hook rewrite the defaults', () => {
    const hook: FormatHook = (event, defaults) => ({
      ...defaults,
      title: `💰 ${defaults.title} (${event.type})`,
    })
    const event = sampleEvent('sale')
    expect(hook(event, formatNotification(event)).title).toBe('💰 [test] $49.00 sale · Acme Inc (sale)')
  })
})

describe('toNotification', () => {
  it('carries the event id, amount, dashboard link and the text', () => {
    const event = sampleEvent('sale')
    const text = { title: 'T', body: 'B' }
    expect(toNotification(event, text)).toStrictEqual({
      id: event.id,
      type: 'sale',
      title: 'T',
      body: 'B',
      account: event.account,
      livemode: false,
      amount: event.amount,
      url: event.dashboardUrl,
      createdAt: event.createdAt,
      event,
    })
  })

  it('leaves out the link and amount an event does not have', () => {
    const { dashboardUrl: _url, ...event } = sampleEvent('subscription.canceled')
    const bare = { ...event, subscription: { id: 'sub_1' } }
    const notification = toNotification(bare, { title: 'T', body: '' })
    expect(Object.keys(notification)).not.toContain('url')
    expect(Object.keys(notification)).not.toContain('amount')
  })

  it("uses a subscription's price as a subscription event's amount", () => {
    const event = sampleEvent('subscription.created')
    expect(eventAmount(event)).toBe(event.subscription.amount)
    expect(toNotification(event, { title: '', body: '' }).amount).toEqual(money(4900, 'usd'))
  })
})
