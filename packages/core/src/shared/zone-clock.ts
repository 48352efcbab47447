/**
 * Wall time in an IANA time zone with nothing but `Intl` (Node 20 has no `Temporal`): what a zone's clock
 * reads at an instant, and the instant a reading names, right across daylight-saving changes.
 */
import { addDays, type DayKey, dayKeyOf, dayParts } from './day-keys.js'

const MINUTE_MS = 60_000
const DAY_MS = 86_400_000

/** What a zone's clock reads. */
interface WallTime {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
}

/** Whether `value` names a time zone `Intl` knows, e.g. `Europe/Paris`. */
export function isTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value === '') return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value })
    return true
  } catch {
    return false
  }
}

/** The system's time zone, as `Intl` reports it. */
export function systemTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone
}

/**
 * One time zone's clock. It holds the zone's one `Intl.DateTimeFormat` (costly to build): make one per
 * zone and keep it. A day is from one local midnight to the next, 23 or 25 hours across a change.
 *
 * @example
 * ```ts
 * const paris = new ZoneClock('Europe/Paris')
 * paris.dayOf(Date.parse('2026-03-28T23:30:00Z')) // '2026-03-29'
 * new Date(paris.startOfDay('2026-03-30')).toISOString() // '2026-03-29T22:00:00.000Z'
 * ```
 */
export class ZoneClock {
  /** The IANA time zone. */
  readonly timeZone: string
  readonly #format: Intl.DateTimeFormat

  /** @throws `RangeError` for a zone `Intl` does not know (see {@link isTimeZone}). */
  constructor(timeZone: string) {
    this.timeZone = timeZone
    this.#format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
  }

  /** What the clock reads at an instant (ms since the epoch). */
  #read(instant: number): WallTime {
    const fields: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {}
    for (const part of this.#format.formatToParts(instant)) {
      if (part.type !== 'literal') fields[part.type] = Number(part.value)
    }
    const { year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = fields
    return { year, month, day, hour: hour % 24, minute, second }
  }

  /** What the clock reads at an instant, as the instant that reading would be in UTC (ms kept). */
  wall(instant: number): number {
    const t = this.#read(instant)
    const ms = ((instant % 1000) + 1000) % 1000
    return Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second, ms)
  }

  /**
   * The instant a reading names (given as {@link ZoneClock.wall} gives it), as `Temporal`'s `compatible` picks it:
   * the first of two in a repeated hour; in a skipped one, forward by the gap, as the clock would read it.
   * Assumes at most one change within a day either side, which holds for every zone in the tz database.
   */
  instantOf(wall: number): number {
    const before = wall - (this.wall(wall - DAY_MS) - (wall - DAY_MS))
    const after = wall - (this.wall(wall + DAY_MS) - (wall + DAY_MS))
    const fits = [before, after].filter((instant) => this.wall(instant) === wall)
    // None fits in a skipped hour: the offset before the change moves it past the gap.
    return fits.length > 0 ? Math.min(...fits) : before
  }

  /** The local day an instant falls in. */
  dayOf(instant: number): DayKey {
    const t = this.#read(instant)
    return dayKeyOf(t.year, t.month, t.day)
  }

  /** The minute of the local day of an instant, 0 to 1439. */
  minuteOfDay(instant: number): number {
    const t = this.#read(instant)
    return t.hour * 60 + t.minute
  }

  /** The instant the clock reads `minuteOfDay` (`9 * 60` for 09:00) on a day, as {@link ZoneClock.instantOf} picks it. */
  at(day: DayKey, minuteOfDay = 0): number {
    const { year, month, day: date } = dayParts(day)
    return this.instantOf(Date.UTC(year, month - 1, date) + minuteOfDay * MINUTE_MS)
  }

  /** Local midnight starting a day; where the clocks skip midnight, the first instant after it. */
  startOfDay(day: DayKey): number {
    return this.at(day)
  }

  /** The instant `days` calendar days after (before, when negative) an instant, at the same clock time. */
  addDays(instant: number, days: number): number {
    return this.instantOf(this.wall(instant) + days * DAY_MS)
  }

  /** The first instant after `after` at which the clock reads `minuteOfDay` (today's, else tomorrow's). */
  next(after: number, minuteOfDay: number): number {
    const today = this.dayOf(after)
    const at = this.at(today, minuteOfDay)
    return at > after ? at : this.at(addDays(today, 1), minuteOfDay)
  }
}
