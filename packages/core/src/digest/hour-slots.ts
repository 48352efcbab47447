/**
 * A day's hours as a digest counts them: real hours from local midnight, so a day the clocks change has
 * 23 or 25 slots, and each sale falls in the slot of the hour it happened in.
 */
import { addDays, type DayKey } from '../shared/day-keys.js'
import type { ZoneClock } from '../shared/zone-clock.js'

const HOUR_MS = 3_600_000

/** How many hour slots a day has: 24, or 23 and 25 across a change (rounded up for half-hour changes). */
export function hoursIn(clock: ZoneClock, day: DayKey): number {
  return Math.ceil((clock.startOfDay(addDays(day, 1)) - clock.startOfDay(day)) / HOUR_MS)
}

/** The hour slot of an instant within its day: 0 from midnight, counting real hours. */
export function hourSlot(clock: ZoneClock, day: DayKey, ms: number): number {
  const slot = Math.floor((ms - clock.startOfDay(day)) / HOUR_MS)
  return Math.min(Math.max(slot, 0), hoursIn(clock, day) - 1)
}
