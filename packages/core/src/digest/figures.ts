/** A period's figures, per currency, from the day records of one or several accounts. */
import type { CountryTally, CurrencyDay, DayRecord, ProductTally } from './day-record.js'
import type { DigestCountry, DigestFigures, DigestPeriodKind, DigestProduct } from './types.js'

/** Products and countries a digest lists. */
export const TOP = 5

type Mutable<T> = { -readonly [K in keyof T]: T[K] }

/** What one currency adds up to over a period, before it becomes {@link DigestFigures}. */
interface Sum {
  figures: Mutable<
    Omit<DigestFigures, 'customers' | 'subscriptions' | 'payouts' | 'topProducts' | 'topCountries'>
  >
  started: number
  canceled: number
  mrrChange: number
  payouts: number
  payoutAmount: number
  customers: Map<string, 0 | 1>
  products: Map<string, ProductTally>
  countries: Map<string, CountryTally>
}

function emptySum(currency: string, slots: number): Sum {
  return {
    figures: {
      currency,
      gross: 0,
      refunds: 0,
      disputes: 0,
      fees: 0,
      feesUnknown: 0,
      net: 0,
      sales: 0,
      failedPayments: 0,
      series: Array.from({ length: slots }, () => 0),
    },
    started: 0,
    canceled: 0,
    mrrChange: 0,
    payouts: 0,
    payoutAmount: 0,
    customers: new Map(),
    products: new Map(),
    countries: new Map(),
  }
}

function addDay(sum: Sum, day: CurrencyDay, kind: DigestPeriodKind, index: number): void {
  const f = sum.figures
  f.gross += day.gross
  f.refunds += day.refunds
  f.disputes += day.disputes
  f.fees += day.fees
  f.feesUnknown += day.feesUnknown
  f.sales += day.sales
  f.failedPayments += day.failedPayments
  const series = f.series as number[]
  if (kind === 'week') series[index] = (series[index] ?? 0) + day.gross
  else for (const [hour, amount] of day.hours.entries()) series[hour] = (series[hour] ?? 0) + amount
  sum.started += day.started
  sum.canceled += day.canceled
  sum.mrrChange += day.mrrChange
  sum.payouts += day.payouts
  sum.payoutAmount += day.payoutAmount
  for (const [key, mark] of Object.entries(day.customers))
    sum.customers.set(key, sum.customers.get(key) === 1 ? 1 : mark)
  for (const [key, [name, id, amount, quantity]] of Object.entries(day.products)) {
    const entry = sum.products.get(key) ?? [name, id, 0, 0]
    entry[2] += amount
    entry[3] += quantity
    sum.products.set(key, entry)
  }
  for (const [key, [amount, sales]] of Object.entries(day.countries)) {
    const entry = sum.countries.get(key) ?? [0, 0]
    entry[0] += amount
    entry[1] += sales
    sum.countries.set(key, entry)
  }
}

function finish(sum: Sum): DigestFigures {
  const f = sum.figures
  const newCustomers = [...sum.customers.values()].filter((mark) => mark === 1).length
  const topProducts: DigestProduct[] = [...sum.products.values()]
    .sort((a, b) => b[2] - a[2] || b[3] - a[3] || a[0].localeCompare(b[0]))
    .slice(0, TOP)
    .map(([name, id, amount, quantity]) => ({ name, ...(id ? { productId: id } : {}), amount, quantity }))
  const topCountries: DigestCountry[] = [...sum.countries.entries()]
    .sort((a, b) => b[1][0] - a[1][0] || b[1][1] - a[1][1] || a[0].localeCompare(b[0]))
    .slice(0, TOP)
    .map(([country, [amount, sales]]) => ({ country, amount, sales }))
  return {
    ...f,
    net: f.gross - f.refunds - f.disputes - f.fees,
    customers: {
      total: sum.customers.size,
      new: newCustomers,
      returning: sum.customers.size - newCustomers,
    },
    subscriptions: { started: sum.started, canceled: sum.canceled, mrrChange: sum.mrrChange },
    payouts: { count: sum.payouts, amount: sum.payoutAmount },
    topProducts,
    topCountries,
  }
}

/**
 * The figures of each currency over a period: `days[account][i]` is the record of the period's `i`-th
 * day for one account. A week's series has a slot per day; a day's, one per hour (23 to 25).
 */
export function periodFigures(
  kind: DigestPeriodKind,
  days: readonly (readonly DayRecord[])[],
  slots: number,
): Map<string, DigestFigures> {
  const sums = new Map<string, Sum>()
  for (const records of days) {
    records.forEach((record, index) => {
      for (const [currency, day] of Object.entries(record.currencies)) {
        let sum = sums.get(currency)
        if (!sum) {
          sum = emptySum(currency, slots)
          sums.set(currency, sum)
        }
        addDay(sum, day, kind, index)
      }
    })
  }
  return new Map([...sums].map(([currency, sum]) => [currency, finish(sum)]))
}

/** The figures of a currency with nothing in the period. */
export function zeroFigures(currency: string, slots: number): DigestFigures {
  return finish(emptySum(currency, slots))
}

/** Whether figures show any activity at all. */
export function hasActivity(f: DigestFigures): boolean {
  return (
    f.sales > 0 ||
    f.refunds > 0 ||
    f.disputes > 0 ||
    f.failedPayments > 0 ||
    f.payouts.count > 0 ||
    f.subscriptions.started > 0 ||
    f.subscriptions.canceled > 0
  )
}

/** Distinct customers over a period across every currency (one who paid in two counts once). */
export function customersAcross(days: readonly (readonly DayRecord[])[]): DigestFigures['customers'] {
  const marks = new Map<string, 0 | 1>()
  for (const record of days.flat()) {
    for (const day of Object.values(record.currencies)) {
      for (const [key, mark] of Object.entries(day.customers)) marks.set(key, marks.get(key) === 1 ? 1 : mark)
    }
  }
  const fresh = [...marks.values()].filter((mark) => mark === 1).length
  return { total: marks.size, new: fresh, returning: marks.size - fresh }
}
