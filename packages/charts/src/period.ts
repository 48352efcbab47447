/** What a digest builder needs to fill a chart's amounts: the time span of every bar of a period. */
import { resolvePeriod } from './resolve-input.js'
import { previousStart } from './slots.js'
import type { ChartPeriod, ChartSlot } from './types.js'

/**
 * The bars of a period, in order, each with the time span its amount covers: the hours of a day (23 or 25
 * on a day the clocks change) or the seven calendar days of a week, in the period's time zone. Sum the
 * sales whose time is in `[start, end)` of each one to fill {@link RevenueChartData.current}.
 *
 * @throws `ConfigError` when the period is invalid.
 * @example
 * ```ts
 * const period = { kind: 'day', start: new Date('2026-10-25T00:00:00+02:00'), timeZone: 'Europe/Paris' } as const
 * chartSlots(period).length // 25: the clocks go back an hour that night
 * ```
 */
export function chartSlots(period: ChartPeriod): readonly ChartSlot[] {
  const { slots } = resolvePeriod(period)
  return slots.map((slot) => ({ start: new Date(slot.start), end: new Date(slot.end) }))
}

/**
 * The period just before, whose amounts are {@link RevenueChartData.previous}: the calendar day or
 * week before, from the same clock time.
 *
 * @throws `ConfigError` when the period is invalid.
 */
export function previousPeriod(period: ChartPeriod): ChartPeriod {
  const { kind, start, clock } = resolvePeriod(period)
  return { kind, start: new Date(previousStart(kind, start, clock)), timeZone: clock.timeZone }
}
