/**
 * The charts' fixture data: a business day's sales shaped like a real shop's (quiet nights, a lunch and
 * an evening peak), from a seeded generator so that every run draws the same chart.
 */
import { chartSlots, previousPeriod, type RevenueChartData } from '../src/index.js'

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32), one sequence per seed. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

/** How busy an hour of the clock is, from 0 to 1: lunch and evening peaks. */
function busyness(hour: number): number {
  const peak = (at: number, width: number) => Math.exp(-(((hour - at) / width) ** 2))
  return 0.05 + 0.7 * peak(12.5, 2) + peak(20, 2.5)
}

/** Sales per hour of the slots' clock hours, in minor units; `scale` is a busy hour's typical takings. */
function hourly(slots: readonly { start: Date }[], timeZone: string, scale: number, seed: number): number[] {
  const next = random(seed)
  const hourOf = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', hourCycle: 'h23' })
  return slots.map((slot) => Math.round(scale * busyness(Number(hourOf.format(slot.start))) * (0.6 + next())))
}

/** A day of sales, with the day before it, in `currency` and `timeZone`. */
export function dayData(start: string, timeZone: string, currency: string, scale: number): RevenueChartData {
  const period = { kind: 'day', start: new Date(start), timeZone } as const
  return {
    period,
    currency,
    current: hourly(chartSlots(period), timeZone, scale, 1),
    previous: hourly(chartSlots(previousPeriod(period)), timeZone, scale * 0.8, 2),
  }
}

/** The fixture day: Tuesday 3 November 2026 in New York, in dollars. */
export const DAY = dayData('2026-11-03T00:00:00-05:00', 'America/New_York', 'usd', 12_000)

/** The day the clocks go back in Paris: 25 hours (02:00 twice), in euros. */
export const LONG_DAY = dayData('2026-10-25T00:00:00+02:00', 'Europe/Paris', 'eur', 9_000)

/** The day the clocks go forward in Paris: 23 hours (no 02:00), in euros. */
export const SHORT_DAY = dayData('2026-03-29T00:00:00+01:00', 'Europe/Paris', 'eur', 9_000)

/** A week in Tokyo, in yen (no minor unit): Monday 2 to Sunday 8 November 2026. */
export const WEEK: RevenueChartData = {
  period: { kind: 'week', start: new Date('2026-11-02T00:00:00+09:00'), timeZone: 'Asia/Tokyo' },
  currency: 'jpy',
  current: [182_000, 154_500, 201_300, 176_800, 243_900, 312_400, 268_100],
  previous: [160_200, 171_000, 149_900, 188_300, 221_700, 290_500, 301_800],
}

/** A day without a sale, after a day without one either. */
export const EMPTY_DAY: RevenueChartData = {
  period: { kind: 'day', start: new Date('2026-11-03T00:00:00Z'), timeZone: 'UTC' },
  currency: 'usd',
  current: Array.from({ length: 24 }, () => 0),
  previous: Array.from({ length: 24 }, () => 0),
}
