/**
 * A period's bars: their time spans, and the key that matches a bar of the previous period to one of the
 * current period by clock time, so that a 23-hour day still compares 15:00 with 15:00.
 */
import type { ZoneClock } from '@cashnotify/core/notifier'
import type { ChartPeriodKind } from './types.js'

const HOUR_MS = 3_600_000

/** One bar's span (ms since the epoch) and what it is matched by. */
export interface Slot {
  readonly start: number
  readonly end: number
  /** Day: the clock time, with its occurrence on a day that repeats an hour; week: the day's index. */
  readonly key: string
}

/** The bars of the period of `kind` that starts at `start`: hours of a day, or days of a week. */
export function periodSlots(kind: ChartPeriodKind, start: number, clock: ZoneClock): Slot[] {
  if (kind === 'week') {
    return Array.from({ length: 7 }, (_, day) => ({
      start: clock.addDays(start, day),
      end: clock.addDays(start, day + 1),
      key: String(day),
    }))
  }
  const end = clock.addDays(start, 1)
  const seen = new Map<number, number>()
  const slots: Slot[] = []
  for (let at = start; at < end; at += HOUR_MS) {
    // Of day: a repeated hour (the autumn change) is the clock's second 01:00, not a copy of the first.
    const clockTime = clock.wall(at) % 86_400_000
    const occurrence = seen.get(clockTime) ?? 0
    seen.set(clockTime, occurrence + 1)
    slots.push({ start: at, end: Math.min(at + HOUR_MS, end), key: `${clockTime}#${occurrence}` })
  }
  return slots
}

/** When the period before the one starting at `start` starts: a calendar day or week earlier. */
export function previousStart(kind: ChartPeriodKind, start: number, clock: ZoneClock): number {
  return clock.addDays(start, kind === 'week' ? -7 : -1)
}

/**
 * The previous period's amounts placed under the current period's bars: each where its key matches,
 * `null` where nothing matches (the hour a spring day skips has no bar behind it).
 */
export function alignPrevious(
  slots: readonly Slot[],
  previousSlots: readonly Slot[],
  previous: readonly number[],
): (number | null)[] {
  const byKey = new Map(previousSlots.map((slot, i) => [slot.key, previous[i] ?? 0]))
  return slots.map((slot) => byKey.get(slot.key) ?? null)
}
