/**
 * Minor units and their formatting. The digits follow Stripe's lists (core's `minorUnitDigits`), not ISO
 * 4217's: Stripe's amounts follow Stripe's lists (ISK, for one, differs).
 */
import { minorUnitDigits } from '@cashnotify/core/notifier'

export { minorUnitDigits }

/** Whether `Intl` knows the upper-case ISO 4217 code (it would format `XYZ` without complaint). */
export function isKnownCurrency(code: string): boolean {
  return /^[A-Z]{3}$/.test(code) && Intl.supportedValuesOf('currency').includes(code)
}

/** Formats amounts in minor units: one `Intl.NumberFormat`, made once and used for every amount. */
export type AmountFormat = (minor: number) => string

/**
 * A format for one currency; `decimals` is how many digits to show, from none (axis ticks in whole
 * units: `$50`) to the minor unit's (`$49.99`).
 */
export function amountFormat(locale: string, code: string, decimals: number): AmountFormat {
  const digits = minorUnitDigits(code)
  const format = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: code,
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  })
  return (minor) => format.format(minor / 10 ** digits)
}
