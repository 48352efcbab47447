import { type Account, formatAmount, type Money, type SaleEvent } from '@cashnotify/core'
import { describe, expect, it } from 'vitest'
import { DailyTotals } from '../src/totals.js'

const money = (amount: number, currency: string): Money => ({
  amount,
  currency,
  formatted: formatAmount(amount, currency),
})

import { logoPath, saleView, summarize } from '../src/views.js'

const account = { id: 'acct_1', name: 'Shop', mode: 'live', logo: { source: 'generic' } } as const

function sale(fields: Partial<SaleEvent> = {}): SaleEvent {
  return {
    id: 'sale:pi_1',
    type: 'sale',
    account,
    livemode: true,
    createdAt: new Date(Date.UTC(2025, 5, 1, 12)),
    backfill: false,
    unavailable: {},
    stripeEvents: [],
    amount: money(4900, 'usd'),
    fee: money(172, 'usd'),
    products: [],
    ...fields,
  }
}

describe('saleView', () => {
  it('keeps what the page shows, and nothing else (no raw events, fees or Stripe ids)', () => {
    const view = saleView(
      sale({
        customer: { id: 'cus_1', email: 'jane@example.com', name: 'Jane', country: 'FR' },
        products: [{ id: 'prod_1', name: 'Mug', quantity: 2, amount: money(4900, 'usd') }],
        chargeId: 'ch_1',
      }),
    )
    expect(view).toEqual({
      id: 'sale:pi_1',
      createdAt: '2025-06-01T12:00:00.000Z',
      backfill: false,
      amount: { amount: 4900, currency: 'usd', formatted: '$49.00' },
      customer: { email: 'jane@example.com', name: 'Jane', country: 'FR' },
      products: [{ name: 'Mug', quantity: 2 }],
      description: null,
      account: { key: 'acct_1/live', name: 'Shop', mode: 'live', logoUrl: '/logos/acct_1/live' },
    })
  })

  it('fills what could not be known with null, and names a product by its id when its name is unknown', () => {
    const view = saleView(sale({ products: [{ id: 'prod_9', quantity: 1 }, { quantity: 1 }] }))
    expect(view.customer).toEqual({ email: null, name: null, country: null })
    expect(view.products).toEqual([
      { name: 'prod_9', quantity: 1 },
      { name: 'Unnamed product', quantity: 1 },
    ])
  })

  it('escapes account ids in logo paths', () => {
    expect(logoPath({ id: 'acct_1/../x', mode: 'test' })).toBe('/logos/acct_1%2F..%2Fx/test')
  })
})

describe('summarize', () => {
  it('lists watched accounts with their totals, then accounts that sold today but are gone', () => {
    const totals = new DailyTotals({ timeZone: 'UTC', now: () => Date.UTC(2025, 5, 1, 13) })
    totals.add(sale())
    totals.add({ ...sale(), id: 'sale:pi_2', account: { ...account, id: 'acct_gone', name: 'Gone' } })
    const watched = [
      { ref: 'acct_1/live', id: 'acct_1', name: 'Shop', mode: 'live', status: 'degraded' },
    ] as Account[]

    const summary = summarize(watched, totals.snapshot())
    const usd = [{ currency: 'usd', amount: 4900, count: 1, formatted: '$49.00' }]
    expect(summary.accounts).toEqual([
      {
        key: 'acct_1/live',
        name: 'Shop',
        mode: 'live',
        status: 'degraded',
        logoUrl: '/logos/acct_1/live',
        totals: usd,
      },
      {
        key: 'acct_gone/live',
        name: 'Gone',
        mode: 'live',
        status: 'removed',
        logoUrl: '/logos/acct_gone/live',
        totals: usd,
      },
    ])
    expect(summary.all).toEqual([{ currency: 'usd', amount: 9800, count: 2, formatted: '$98.00' }])
  })
})
