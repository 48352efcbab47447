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

/** The `Intl.NumberFormat` of a currency in a locale, or undefined when Intl does not know the code. */
function numberFormat(currency: string, locale: string): Intl.NumberFormat | undefined {
  const digits = minorUnitDigits(currency)
  try {
    return new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: currency.toUpperCase(),
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    })
  } catch {
    return undefined
  }
}

function formatWith(format: Intl.NumberFormat | undefined, amount: number, currency: string): string {
  const digits = minorUnitDigits(currency)
  const value = amount / 10 ** digits
  // A code Intl does not know still reads sensibly.
  return format ? format.format(value) : `${value.toFixed(digits)} ${currency.toUpperCase()}`
}

/**
 * Formats an amount in minor units with `Intl.NumberFormat`: `formatAmount(4900, 'usd')` is `$49.00`,
 * `formatAmount(4900, 'jpy')` is `¥4,900`, `formatAmount(4900, 'kwd')` is `KWD 4.900`. Each call builds
 * its formatter; code that formats many amounts keeps a {@link MoneyFormats}.
 */
export function formatAmount(amount: number, currency: string, locale = 'en-US'): string {
  return formatWith(numberFormat(currency, locale), amount, currency)
}

/** A {@link Money} value from Stripe's integer amount and currency. */
export function money(amount: number, currency: string, locale?: string): Money {
  return { amount, currency: currency.toLowerCase(), formatted: formatAmount(amount, currency, locale) }
}

/** Currencies whose formatter is kept: more than Stripe supports, so the cache never churns. */
const MAX_FORMATS = 256

/**
 * Formats amounts like {@link formatAmount}, keeping one `Intl.NumberFormat` per currency: building one
 * costs far more than formatting with it, and enrichment formats several amounts per event.
 */
export class MoneyFormats {
  readonly #locale: string
  readonly #formats = new Map<string, Intl.NumberFormat | undefined>()

  constructor(locale = 'en-US') {
    this.#locale = locale
  }

  /** The amount formatted, e.g. `$49.00`. */
  format(amount: number, currency: string): string {
    const code = currency.toLowerCase()
    let format = this.#formats.get(code)
    if (format === undefined && !this.#formats.has(code)) {
      format = numberFormat(code, this.#locale)
      if (this.#formats.size < MAX_FORMATS) this.#formats.set(code, format)
    }
    return formatWith(format, amount, code)
  }

  /** A {@link Money} value from Stripe's integer amount and currency. */
  money(amount: number, currency: string): Money {
    return { amount, currency: currency.toLowerCase(), formatted: this.format(amount, currency) }
  }
}
