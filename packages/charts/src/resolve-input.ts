/**
 * The data and options checked once, by hand through core's `optionChecks`: every problem is listed in
 * one `ConfigError`, in the house sentence (``Expected `current` to be …, got 23.``).
 */
import {
  invalidOption,
  isTimeZone,
  type OptionChecks,
  optionChecks,
  ZoneClock,
} from '@cashnotify/core/notifier'
import { isKnownCurrency, minorUnitDigits } from './currency.js'
import { periodSlots, previousStart, type Slot } from './slots.js'
import { type ChartPeriod, type ChartPeriodKind, NAME, type RevenueChartData } from './types.js'

/** A period once checked. */
export interface ResolvedPeriod {
  readonly kind: ChartPeriodKind
  readonly start: number
  readonly clock: ZoneClock
  readonly slots: readonly Slot[]
}

/** The data once checked: the currency upper-cased, the slots of both periods. */
export interface ResolvedData {
  readonly period: ResolvedPeriod
  readonly previousSlots: readonly Slot[]
  readonly currency: string
  readonly digits: 0 | 2 | 3
  readonly current: readonly number[]
  readonly previous: readonly number[] | undefined
}

const KINDS: readonly ChartPeriodKind[] = ['day', 'week']
const HOUR_MS = 3_600_000

/** The period's clock and slots, or undefined once its problems are recorded. */
function checkPeriod(checks: OptionChecks, period: ChartPeriod, path: string): ResolvedPeriod | undefined {
  if (!checks.check(isObject(period), path, 'an object with `kind`, `start` and `timeZone`', period)) {
    return undefined
  }
  const { kind, start, timeZone } = period
  const kindOk = checks.check(KINDS.includes(kind), `${path}.kind`, "'day' or 'week'", kind)
  const startOk = checks.check(
    start instanceof Date && !Number.isNaN(start.getTime()),
    `${path}.start`,
    'a valid Date',
    start,
  )
  const clock = isTimeZone(timeZone) ? new ZoneClock(timeZone) : undefined
  checks.check(clock !== undefined, `${path}.timeZone`, 'an IANA time zone such as `Europe/Paris`', timeZone)
  if (!kindOk || !startOk || clock === undefined) return undefined
  const at = start.getTime()
  const whole = checks.check(
    clock.wall(at) % HOUR_MS === 0,
    `${path}.start`,
    `at a whole hour of ${timeZone}'s clock (usually midnight)`,
    start.toISOString(),
  )
  return whole ? { kind, start: at, clock, slots: periodSlots(kind, at, clock) } : undefined
}

/**
 * Checks a period on its own, for {@link chartSlots} and {@link previousPeriod}.
 * @throws `ConfigError` listing every problem.
 */
export function resolvePeriod(period: ChartPeriod): ResolvedPeriod {
  const checks = optionChecks(NAME)
  const resolved = checkPeriod(checks, period, 'period')
  checks.throwIfAny()
  return resolved!
}

/** Checks every amount and, once the period is known, how many there are. */
function checkAmounts(
  checks: OptionChecks,
  amounts: readonly number[],
  path: string,
  slots: readonly Slot[] | undefined,
  week: boolean,
  what: string,
): void {
  if (!checks.check(Array.isArray(amounts), path, 'an array of amounts in minor units', amounts)) return
  if (slots !== undefined) {
    const n = slots.length
    const per = week ? `day of the ${what}` : `hour of the ${what}`
    // Say why when the count is not the obvious one: the clocks changed that day.
    const why = !week && n !== 24 ? ` (it has ${n} hours: the clocks change that day)` : ''
    checks.check(amounts.length === n, `${path}.length`, `${n}, one amount per ${per}${why}`, amounts.length)
  }
  amounts.forEach((amount, i) => {
    checks.check(
      Number.isSafeInteger(amount) && amount >= 0,
      `${path}[${i}]`,
      'an amount in minor units: a whole number, 0 or more',
      amount,
    )
  })
}

/**
 * Checks the data: the period, the currency, and every amount of both periods.
 * @throws `ConfigError` listing every problem.
 */
export function resolveData(data: RevenueChartData): ResolvedData {
  if (!isObject(data)) {
    throw invalidOption(NAME, 'data', 'an object with `period`, `currency` and `current`', data)
  }
  const checks = optionChecks(NAME)
  const period = checkPeriod(checks, data.period, 'period')
  const currency = typeof data.currency === 'string' ? data.currency.toUpperCase() : ''
  checks.check(
    isKnownCurrency(currency),
    'currency',
    'an ISO 4217 currency code such as `usd`',
    data.currency,
  )
  const previousSlots = period
    ? periodSlots(period.kind, previousStart(period.kind, period.start, period.clock), period.clock)
    : undefined
  const kind = period?.kind ?? 'day'
  const week = kind === 'week'
  checkAmounts(checks, data.current, 'current', period?.slots, week, kind)
  if (data.previous !== undefined) {
    checkAmounts(checks, data.previous, 'previous', previousSlots, week, `${kind} before`)
  }
  checks.throwIfAny()
  // Every check passed: the period and its slots exist.
  return {
    period: period!,
    previousSlots: previousSlots!,
    currency,
    digits: minorUnitDigits(currency),
    current: [...data.current],
    previous: data.previous === undefined ? undefined : [...data.previous],
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
