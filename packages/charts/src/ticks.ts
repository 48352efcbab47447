/**
 * The amount axis: round tick values in minor units, and their labels formatted in the currency. Vega's
 * own formats know no currency of ours, so the labels are computed here and looked up by the axis.
 */
import { amountFormat } from './currency.js'

/** The amount axis: where its ticks are (minor units), how they read, and its top. */
export interface AmountTicks {
  readonly values: readonly number[]
  readonly labels: readonly string[]
  readonly top: number
}

/** About this many intervals between ticks. */
const INTERVALS = 4

/**
 * Ticks from 0 to at least `max` (minor units), at a step of 1, 2, 2.5 or 5 times a power of ten, never
 * finer than one minor unit. An empty period still gets an axis: 0 to 4 whole units.
 */
export function amountTicks(max: number, digits: number, locale: string, code: string): AmountTicks {
  const unit = 10 ** digits
  const highest = max > 0 ? max : INTERVALS * unit
  const raw = highest / INTERVALS
  const magnitude = 10 ** Math.floor(Math.log10(raw))
  const multiples = magnitude >= 10 ? [1, 2, 2.5, 5, 10] : [1, 2, 5, 10]
  const step = Math.max(1, (multiples.find((m) => m * magnitude >= raw) ?? 10) * magnitude)
  const top = Math.ceil(highest / step) * step
  const values = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step)
  // Whole units read `$50`; a fractional step needs the minor digits on every tick to read evenly.
  const decimals = values.every((value) => value % unit === 0) ? 0 : digits
  const format = amountFormat(locale, code, decimals)
  return { values, labels: values.map(format), top }
}
