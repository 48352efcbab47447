/** An amount of money: integer minor units (cents, yen, fils), its currency, and how it reads. */
export interface Money {
  /** In the currency's minor unit: 4900 is $49.00, 4900 is ¥4,900, 4900 is 4.900 KWD. */
  readonly amount: number
  /** Lower-case ISO 4217 code, as Stripe writes it: `usd`, `jpy`, `kwd`. */
  readonly currency: string
  /** Formatted with `Intl.NumberFormat`: `$49.00`, `¥4,900`, `KWD 4.900`. */
  readonly formatted: string
}

/**
 * Stripe's zero-decimal currencies: the amount is in whole units (¥4900 is `4900`). Stripe's own list,
 * not ISO 4217's, because Stripe's amounts follow it (ISK, for one, differs).
 */
const ZERO_DECIMAL = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
])

/** Stripe's three-decimal currencies: the amount is in thousandths (4.900 KWD is `4900`). */
const THREE_DECIMAL = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd'])

/** How many decimals a currency's minor unit has in Stripe's amounts: 0, 2 or 3. */
export function minorUnitDigits(currency: string): 0 | 2 | 3 {
  const code = currency.toLowerCase()
  if (ZERO_DECIMAL.has(code)) return 0
  if (THREE_DECIMAL.has(code)) return 3
  return 2
}

/**
 * Formats an amount in minor units with `Intl.NumberFormat`: `formatAmount(4900, 'usd')` is `$49.00`,
 * `formatAmount(4900, 'jpy')` is `¥4,900`, `formatAmount(4900, 'kwd')` is `KWD 4.900`.
 */
export function formatAmount(amount: number, currency: string, locale = 'en-US'): string {
  const digits = minorUnitDigits(currency)
  const code = currency.toUpperCase()
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: code,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(amount / 10 ** digits)
  } catch {
    // A code Intl does not know still reads sensibly.
    return `${(amount / 10 ** digits).toFixed(digits)} ${code}`
  }
}

/** A {@link Money} value from Stripe's integer amount and currency. */
export function money(amount: number, currency: string, locale?: string): Money {
  return { amount, currency: currency.toLowerCase(), formatted: formatAmount(amount, currency, locale) }
}
