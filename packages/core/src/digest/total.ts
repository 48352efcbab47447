/**
 * All currencies in one, through the app's own conversion function: CashNotify has no exchange rates
 * and never makes one up, so without the function a digest has no total.
 */
import { minorUnitDigits } from '../shared/money.js'
import type { DigestCountry, DigestFigures, DigestProduct } from './types.js'

/**
 * Converts an amount between currencies, in major units (dollars, yen): `convert(12.5, 'usd', 'eur', at)`
 * may return `11.6`. `at` is the end of the period the amount belongs to. Currency codes are lower-case.
 */
export type ConvertAmount = (amount: number, from: string, to: string, at: Date) => number | Promise<number>

/** How digests total every currency in one. */
export interface DigestTotalOptions {
  /** The currency of the total, e.g. `eur`. */
  readonly currency: string
  /** The app's conversion (its rates, its provider). */
  readonly convert: ConvertAmount
}

type Convert = (amount: number) => Promise<number>

/** One currency's converter into the total's, in minor units, rounded to the target's minor unit. */
function converter(options: DigestTotalOptions, from: string, at: Date): Convert {
  const to = options.currency.toLowerCase()
  if (from === to) return (amount) => Promise.resolve(amount)
  return async (amount) => {
    if (amount === 0) return 0
    const major = amount / 10 ** minorUnitDigits(from)
    const result = await options.convert(major, from, to, at)
    if (typeof result !== 'number' || !Number.isFinite(result))
      throw new TypeError(`convert(${major}, '${from}', '${to}') returned ${String(result)}, not a number`)
    return Math.round(result * 10 ** minorUnitDigits(to))
  }
}

async function convertFigures(f: DigestFigures, convert: Convert): Promise<DigestFigures> {
  const [gross, refunds, disputes, fees, mrrChange, payouts] = await Promise.all(
    [f.gross, f.refunds, f.disputes, f.fees, f.subscriptions.mrrChange, f.payouts.amount].map(convert),
  )
  const series = await Promise.all(f.series.map(convert))
  const topProducts = await Promise.all(
    f.topProducts.map(async (p) => ({ ...p, amount: await convert(p.amount) })),
  )
  const topCountries = await Promise.all(
    f.topCountries.map(async (c) => ({ ...c, amount: await convert(c.amount) })),
  )
  return {
    ...f,
    gross: gross ?? 0,
    refunds: refunds ?? 0,
    disputes: disputes ?? 0,
    fees: fees ?? 0,
    net: (gross ?? 0) - (refunds ?? 0) - (disputes ?? 0) - (fees ?? 0),
    subscriptions: { ...f.subscriptions, mrrChange: mrrChange ?? 0 },
    payouts: { ...f.payouts, amount: payouts ?? 0 },
    series,
    topProducts,
    topCountries,
  }
}

function mergeTop<T extends DigestProduct | DigestCountry>(
  lists: readonly (readonly T[])[],
  key: (item: T) => string,
  add: (into: T, item: T) => T,
): T[] {
  const merged = new Map<string, T>()
  for (const item of lists.flat()) {
    const seen = merged.get(key(item))
    merged.set(key(item), seen ? add(seen, item) : item)
  }
  return [...merged.values()].sort((a, b) => b.amount - a.amount).slice(0, 5)
}

/**
 * The figures of every currency converted and added up. `customers` counts each customer once across
 * currencies (given by the caller, who has them). Top products and countries merge what each
 * currency's top five hold.
 */
export async function totalFigures(
  options: DigestTotalOptions,
  figures: readonly DigestFigures[],
  customers: DigestFigures['customers'],
  slots: number,
  at: Date,
): Promise<DigestFigures> {
  const currency = options.currency.toLowerCase()
  const converted = await Promise.all(
    figures.map((f) => convertFigures(f, converter(options, f.currency, at))),
  )
  const sum = (pick: (f: DigestFigures) => number): number => converted.reduce((n, f) => n + pick(f), 0)
  const gross = sum((f) => f.gross)
  const refunds = sum((f) => f.refunds)
  const disputes = sum((f) => f.disputes)
  const fees = sum((f) => f.fees)
  return {
    currency,
    gross,
    refunds,
    disputes,
    fees,
    feesUnknown: sum((f) => f.feesUnknown),
    net: gross - refunds - disputes - fees,
    sales: sum((f) => f.sales),
    customers,
    subscriptions: {
      started: sum((f) => f.subscriptions.started),
      canceled: sum((f) => f.subscriptions.canceled),
      mrrChange: sum((f) => f.subscriptions.mrrChange),
    },
    failedPayments: sum((f) => f.failedPayments),
    payouts: { count: sum((f) => f.payouts.count), amount: sum((f) => f.payouts.amount) },
    topProducts: mergeTop(
      converted.map((f) => f.topProducts),
      (p) => p.productId ?? `name:${p.name}`,
      (a, b) => ({ ...a, amount: a.amount + b.amount, quantity: a.quantity + b.quantity }),
    ),
    topCountries: mergeTop(
      converted.map((f) => f.topCountries),
      (c) => c.country,
      (a, b) => ({ ...a, amount: a.amount + b.amount, sales: a.sales + b.sales }),
    ),
    series: Array.from({ length: slots }, (_, i) => converted.reduce((n, f) => n + (f.series[i] ?? 0), 0)),
  }
}
