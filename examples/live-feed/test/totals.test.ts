import { type EventAccount, formatAmount, type Money } from '@cashnotify/core'

const money = (amount: number, currency: string): Money => ({
  amount,
  currency,
  formatted: formatAmount(amount, currency),
})

import { describe, expect, it } from 'vitest'
import { accountKey, DailyTotals } from '../src/totals.js'

const logo = { source: 'generic' } as const
const shop: EventAccount = { id: 'acct_shop', name: 'Shop', mode: 'live', logo }
const other: EventAccount = { id: 'acct_other', name: 'Other', mode: 'live', logo }

const NOON = Date.UTC(2025, 5, 1, 12) // Sunday 1 June 2025, 12:00 UTC

let next = 0
function sale(account: EventAccount, amount: number, currency: string, at = NOON) {
  next += 1
  return { id: `sale:pi_${next}`, account, amount: money(amount, currency), createdAt: new Date(at) }
}

describe('DailyTotals', () => {
  it('sums today per account and currency, and per currency across accounts', () => {
    const totals = new DailyTotals({ timeZone: 'UTC', now: () => NOON })
    totals.add(sale(shop, 4900, 'usd'))
    totals.add(sale(shop, 2500, 'usd'))
    totals.add(sale(shop, 1000, 'eur'))
    totals.add(sale(other, 100, 'usd'))

    expect(totals.snapshot()).toEqual({
      day: '2025-06-01',
      timeZone: 'UTC',
      accounts: [
        {
          account: 'acct_shop/live',
          name: 'Shop',
          currencies: [
            { currency: 'eur', amount: 1000, count: 1, formatted: '€10.00' },
            { currency: 'usd', amount: 7400, count: 2, formatted: '$74.00' },
          ],
        },
        {
          account: 'acct_other/live',
          name: 'Other',
          currencies: [{ currency: 'usd', amount: 100, count: 1, formatted: '$1.00' }],
        },
      ],
      all: [
        { currency: 'eur', amount: 1000, count: 1, formatted: '€10.00' },
        { currency: 'usd', amount: 7500, count: 3, formatted: '$75.00' },
      ],
    })
  })

  it('formats zero-decimal (JPY) and three-decimal (KWD) totals with core formatAmount', () => {
    const totals = new DailyTotals({ timeZone: 'UTC', now: () => NOON })
    totals.add(sale(shop, 3200, 'jpy'))
    totals.add(sale(shop, 1800, 'jpy'))
    totals.add(sale(shop, 4900, 'kwd')) // 4.900 KWD, in fils
    totals.add(sale(shop, 100, 'kwd'))

    const byCurrency = Object.fromEntries(totals.snapshot().all.map((t) => [t.currency, t]))
    expect(byCurrency.jpy).toEqual({ currency: 'jpy', amount: 5000, count: 2, formatted: '¥5,000' })
    expect(byCurrency.kwd).toEqual({ currency: 'kwd', amount: 5000, count: 2, formatted: 'KWD\u00a05.000' }) // Intl puts a no-break space after the code
    expect(byCurrency.kwd?.formatted).toBe(formatAmount(5000, 'kwd'))
  })

  it('keys accounts by id and mode, so live and test totals of one account stay apart', () => {
    const totals = new DailyTotals({ timeZone: 'UTC', now: () => NOON })
    totals.add(sale(shop, 100, 'usd'))
    totals.add(sale({ ...shop, mode: 'test' }, 200, 'usd'))
    expect(totals.snapshot().accounts.map((a) => a.account)).toEqual(['acct_shop/live', 'acct_shop/test'])
    expect(accountKey(shop)).toBe('acct_shop/live')
  })

  it('counts a sale once, even when it is added twice', () => {
    const totals = new DailyTotals({ timeZone: 'UTC', now: () => NOON })
    const once = sale(shop, 4900, 'usd')
    expect(totals.add(once)).toBe(true)
    expect(totals.add(once)).toBe(false)
    expect(totals.snapshot().all).toEqual([{ currency: 'usd', amount: 4900, count: 1, formatted: '$49.00' }])
  })

  it('does not count a sale of another day (a backfilled one from yesterday)', () => {
    const totals = new DailyTotals({ timeZone: 'UTC', now: () => NOON })
    expect(totals.add(sale(shop, 4900, 'usd', NOON - 24 * 3_600_000))).toBe(false)
    expect(totals.snapshot()).toMatchObject({ day: '2025-06-01', accounts: [], all: [] })
  })

  it('starts again from zero when the day changes', () => {
    let now = NOON
    const totals = new DailyTotals({ timeZone: 'UTC', now: () => now })
    totals.add(sale(shop, 4900, 'usd'))
    now = Date.UTC(2025, 5, 2, 0, 0, 1)
    expect(totals.snapshot()).toMatchObject({ day: '2025-06-02', accounts: [], all: [] })
    totals.add(sale(shop, 100, 'usd', now))
    expect(totals.snapshot().all).toEqual([{ currency: 'usd', amount: 100, count: 1, formatted: '$1.00' }])
  })

  it('decides the day in its time zone: 23:30 UTC is already tomorrow in Tokyo', () => {
    const lateUtc = Date.UTC(2025, 5, 1, 23, 30)
    const tokyo = new DailyTotals({ timeZone: 'Asia/Tokyo', now: () => lateUtc })
    const utc = new DailyTotals({ timeZone: 'UTC', now: () => lateUtc })
    expect(tokyo.today()).toBe('2025-06-02')
    expect(utc.today()).toBe('2025-06-01')
    // 14:00 UTC on 1 June is 23:00 in Tokyo on 1 June: yesterday there, today in UTC.
    expect(tokyo.add(sale(shop, 100, 'usd', Date.UTC(2025, 5, 1, 14)))).toBe(false)
    expect(utc.add(sale(shop, 100, 'usd', Date.UTC(2025, 5, 1, 14)))).toBe(true)
    expect(tokyo.snapshot().timeZone).toBe('Asia/Tokyo')
  })

  it('formats in the locale it is given', () => {
    const totals = new DailyTotals({ timeZone: 'UTC', locale: 'de-DE', now: () => NOON })
    totals.add(sale(shop, 123456, 'eur'))
    expect(totals.snapshot().all[0]?.formatted).toBe(formatAmount(123456, 'eur', 'de-DE'))
    expect(totals.snapshot().all[0]?.formatted).toMatch(/^1\.234,56\s€$/)
  })

  it('names an account as its newest sale does', () => {
    const totals = new DailyTotals({ timeZone: 'UTC', now: () => NOON })
    totals.add(sale({ ...shop, name: 'Stripe account …shop' }, 100, 'usd'))
    totals.add(sale({ ...shop, name: 'Shop, renamed' }, 100, 'usd'))
    expect(totals.snapshot().accounts[0]?.name).toBe('Shop, renamed')
  })
})
