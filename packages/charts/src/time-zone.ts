/**
 * Calendar arithmetic in an IANA time zone with nothing but `Intl`: Node 20 has no `Temporal`, and a
 * day's length (23, 24 or 25 hours) is all a chart needs of it.
 */

/** A time zone's clock: reads the wall-clock fields of an instant. Made once per render. */
export interface ZoneClock {
  readonly timeZone: string
  /** The instant's wall-clock time in the zone, as if that clock read UTC (ms since the epoch). */
  wall(instant: number): number
}

const DAY_MS = 86_400_000

/** A clock for `timeZone`; throws a `RangeError` for a zone `Intl` does not know. */
export function zoneClock(timeZone: string): ZoneClock {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  })
  return {
    timeZone,
    wall(instant) {
      const fields: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {}
      for (const part of format.formatToParts(instant)) fields[part.type] = Number(part.value)
      const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields
      const ms = ((instant % 1000) + 1000) % 1000
      return Date.UTC(year, month - 1, day, hour, minute, second, ms)
    },
  }
}

/**
 * The instant a wall-clock time names, as `Temporal`'s `compatible` disambiguation picks it: the earlier
 * of two in a repeated hour, the time just after the gap in a skipped one. Assumes one offset change at
 * most within a day of it, which holds for every zone in the tz database.
 */
export function instantAt(clock: ZoneClock, wall: number): number {
  const before = clock.wall(wall - DAY_MS) - (wall - DAY_MS)
  const after = clock.wall(wall + DAY_MS) - (wall + DAY_MS)
  const candidates = [wall - before, wall - after].filter((instant) => clock.wall(instant) === wall)
  // No candidate: the time is in a skipped hour; the offset before the change moves it past the gap.
  return candidates.length > 0 ? Math.min(...candidates) : wall - before
}

/** The instant `days` calendar days after `instant`, at the same wall-clock time where it exists. */
export function addCalendarDays(clock: ZoneClock, instant: number, days: number): number {
  return instantAt(clock, clock.wall(instant) + days * DAY_MS)
}

/** Whether `instant` is at a whole hour of the zone's clock (no minutes, seconds or milliseconds). */
export function isWholeHour(clock: ZoneClock, instant: number): boolean {
  return clock.wall(instant) % 3_600_000 === 0
}
