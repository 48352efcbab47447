/**
 * Local calendar days and wall times in an IANA time zone, with `Intl` alone: a day is from one local
 * midnight to the next (23 or 25 hours across a daylight-saving change), and a wall time that a change
 * skips or repeats has one well-defined instant.
 */

/** A calendar day, `YYYY-MM-DD`. */
export type DayKey = string

/** A wall time read in a time zone. */
export interface LocalTime {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
}

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0')
}

/** The key of a calendar day. */
export function dayKeyOf(year: number, month: number, day: number): DayKey {
  const date = new Date(Date.UTC(year, month - 1, day))
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`
}

/** The year, month and day of a key. */
export function dayParts(key: DayKey): { year: number; month: number; day: number } {
  const [year = 1970, month = 1, day = 1] = key.split('-').map(Number)
  return { year, month, day }
}

/** The day `days` after (or before, when negative) a day. */
export function addDays(key: DayKey, days: number): DayKey {
  const { year, month, day } = dayParts(key)
  return dayKeyOf(year, month, day + days)
}

/** The day of the week of a day: 0 for Sunday to 6 for Saturday. */
export function weekdayOf(key: DayKey): number {
  const { year, month, day } = dayParts(key)
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay()
}

/** Whether a string names a time zone `Intl` knows. */
export function isTimeZone(value: string): boolean {
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

/** The calendar of one time zone; one `Intl.DateTimeFormat`, built once. */
export class ZoneCalendar {
  /** The IANA time zone. */
  readonly timeZone: string
  readonly #format: Intl.DateTimeFormat

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

  /** The wall time of an instant. */
  local(ms: number): LocalTime {
    const parts: Record<string, number> = {}
    for (const part of this.#format.formatToParts(new Date(ms))) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value)
    }
    return {
      year: parts.year ?? 1970,
      month: parts.month ?? 1,
      day: parts.day ?? 1,
      hour: (parts.hour ?? 0) % 24,
      minute: parts.minute ?? 0,
      second: parts.second ?? 0,
    }
  }

  /** How far the zone's wall clock is ahead of UTC at an instant, ms. */
  offset(ms: number): number {
    const t = this.local(ms)
    const wall = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second)
    return wall - (ms - (((ms % 1000) + 1000) % 1000))
  }

  /** The local day an instant falls in. */
  dayOf(ms: number): DayKey {
    const t = this.local(ms)
    return dayKeyOf(t.year, t.month, t.day)
  }

  /**
   * The instant of a wall time on a day. A time the clocks skip (spring forward) moves forward by the
   * gap, as a wall clock would read it; a time they repeat (fall back) is its first occurrence.
   */
  instant(key: DayKey, hour = 0, minute = 0): number {
    const { year, month, day } = dayParts(key)
    const wall = Date.UTC(year, month - 1, day, hour, minute)
    // At most one change lies within 12 hours of any time: the offsets either side are the candidates.
    const before = wall - this.offset(wall - DAY_MS / 2)
    const after = wall - this.offset(wall + DAY_MS / 2)
    const fits = [before, after].filter((t) => t + this.offset(t) === wall)
    return fits.length > 0 ? Math.min(...fits) : before
  }

  /** Local midnight starting a day. */
  startOf(key: DayKey): number {
    return this.instant(key)
  }

  /** How many hour slots a day has: 24, or 23 and 25 across a change (rounded up for half-hour changes). */
  hoursIn(key: DayKey): number {
    return Math.ceil((this.startOf(addDays(key, 1)) - this.startOf(key)) / HOUR_MS)
  }

  /** The hour slot of an instant within its day: 0 from midnight, counting real hours. */
  hourSlot(key: DayKey, ms: number): number {
    const slot = Math.floor((ms - this.startOf(key)) / HOUR_MS)
    return Math.min(Math.max(slot, 0), this.hoursIn(key) - 1)
  }
}
