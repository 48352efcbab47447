/**
 * Every word and label of a chart, in the period's time zone and the options' locale. Each
 * `Intl` format is made once here, per render, and used for every tick and sentence.
 */
import { amountFormat } from './currency.js'
import type { ResolvedData } from './resolve-input.js'
import type { ResolvedOptions } from './resolve-options.js'
import type { Slot } from './slots.js'

/** The texts of one chart. */
export interface ChartTexts {
  readonly title: string
  /** Currency, time zone and the totals. */
  readonly subtitle: string
  /** What the chart says in words: the SVG's `<desc>`, an `<img>`'s `alt`. */
  readonly description: string
  /** The legend's names of the current and previous periods. */
  readonly currentName: string
  readonly previousName: string
  /** The slots that carry a tick on the time axis, and each slot's label (shown at the ticks only). */
  readonly tickSlots: readonly number[]
  /** A label of two lines is an array of both. */
  readonly slotLabels: readonly (string | readonly string[])[]
  /** Shown across an empty chart. */
  readonly emptyText: string
}

const HOUR_MS = 3_600_000

/** A date format of the period's zone and the options' locale. */
type DateFormat = (instant: number) => string

function dateFormat(locale: string, timeZone: string, fields: Intl.DateTimeFormatOptions): DateFormat {
  const format = new Intl.DateTimeFormat(locale, { timeZone, ...fields })
  return (instant) => format.format(instant)
}

/** The name of a period, e.g. `Tue, Nov 3, 2026` or `Nov 2 – 8, 2026`. */
function periodName(
  slots: readonly Slot[],
  week: boolean,
  locale: string,
  timeZone: string,
  year: boolean,
): string {
  const fields: Intl.DateTimeFormatOptions = week
    ? { month: 'short', day: 'numeric' }
    : { weekday: 'short', month: 'short', day: 'numeric' }
  const format = new Intl.DateTimeFormat(locale, {
    timeZone,
    ...fields,
    ...(year ? { year: 'numeric' } : {}),
  })
  const first = slots[0]?.start ?? 0
  const last = slots[slots.length - 1]?.start ?? first
  return week ? format.formatRange(first, last) : format.format(first)
}

/** The time axis: on a day, a tick every third hour of the clock; on a week, every day. */
function timeAxis(data: ResolvedData, locale: string): Pick<ChartTexts, 'tickSlots' | 'slotLabels'> {
  const { slots, clock, kind } = data.period
  if (kind === 'week') {
    // Two lines, `Mon` over `Nov 2`: a locale's own order of weekday and day can read oddly (`2 Mon`).
    const weekday = dateFormat(locale, clock.timeZone, { weekday: 'short' })
    const date = dateFormat(locale, clock.timeZone, { month: 'short', day: 'numeric' })
    const slotLabels = slots.map((slot) => [weekday(slot.start), date(slot.start)])
    return { tickSlots: slots.map((_, i) => i), slotLabels }
  }
  const hour = dateFormat(locale, clock.timeZone, { hour: 'numeric' })
  const hourMinute = dateFormat(locale, clock.timeZone, { hour: 'numeric', minute: '2-digit' })
  const walls = slots.map((slot) => clock.wall(slot.start))
  const tickSlots = walls.flatMap((wall, i) => (wall % (3 * HOUR_MS) === 0 ? [i] : []))
  // A zone whose offset has half hours after a change (Lord Howe) puts its bars at :30.
  const slotLabels = slots.map((slot, i) =>
    (walls[i] ?? 0) % HOUR_MS === 0 ? hour(slot.start) : hourMinute(slot.start),
  )
  return { tickSlots, slotLabels }
}

/** The busiest slot's sentence, or that there was no sale. */
function busiest(data: ResolvedData, locale: string, format: (minor: number) => string): string {
  const { slots, clock, kind } = data.period
  const best = Math.max(...data.current)
  if (best <= 0) return `No sales this ${kind}.`
  const at = slots[data.current.indexOf(best)]?.start ?? 0
  const fields: Intl.DateTimeFormatOptions =
    kind === 'week'
      ? { weekday: 'long', month: 'short', day: 'numeric' }
      : { hour: 'numeric', minute: '2-digit' }
  const when = dateFormat(locale, clock.timeZone, fields)(at)
  return `Best ${kind === 'week' ? 'day' : 'hour'}: ${when}, ${format(best)}.`
}

const sum = (amounts: readonly number[]): number => amounts.reduce((total, amount) => total + amount, 0)

/** Every text of the chart of `data`. */
export function chartTexts(data: ResolvedData, options: ResolvedOptions): ChartTexts {
  const { locale } = options
  const { kind, slots, clock } = data.period
  const week = kind === 'week'
  const money = amountFormat(locale, data.currency, data.digits)
  const title =
    options.title ??
    `Sales by ${week ? 'day' : 'hour'} · ${periodName(slots, week, locale, clock.timeZone, true)}`
  const total = `total ${money(sum(data.current))}`
  const versus = data.previous === undefined ? '' : `, previous ${kind} ${money(sum(data.previous))}`
  const hours = !week && slots.length !== 24 ? ` The day has ${slots.length} hours: the clocks changed.` : ''
  const faint =
    data.previous === undefined
      ? ''
      : ` Faint bars behind: the previous ${kind}, ${money(sum(data.previous))} in total.`
  return {
    title,
    subtitle: `${data.currency} · ${clock.timeZone} time · ${total}${versus}`,
    description:
      `${title}, in ${data.currency}, ${clock.timeZone} time: ${money(sum(data.current))} in total.` +
      `${faint} ${busiest(data, locale, money)}${hours}`,
    currentName: periodName(slots, week, locale, clock.timeZone, false),
    previousName: periodName(data.previousSlots, week, locale, clock.timeZone, false),
    ...timeAxis(data, locale),
    emptyText: `No sales this ${kind}`,
  }
}
