/**
 * Local time in an IANA zone, with `Intl` only: the local day of an instant, the minute of the day, and
 * the next instant a local clock reads a given time, right across daylight-saving changes.
 */

const DAY_MS = 86_400_000

/** A local date and minute of the day. */
interface LocalTime {
  readonly year: number
  readonly month: number
  readonly day: number
  /** Minutes since local midnight. */
  readonly minutes: number
}

/** Whether `Intl` knows the zone. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone })
    return true
  } catch {
    return false
  }
}

/** The system's zone, the default of every rule. */
export function systemTimeZone(): string {
  return new Intl.DateTimeFormat().resolvedOptions().timeZone
}

/** `22:30` as 1350 minutes. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

/** Reads instants on one zone's clock; one formatter per zone, kept by whoever uses it. */
export class ZoneClock {
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

  /** The local date and minute of an instant. */
  local(instant: number): LocalTime & { readonly second: number } {
    const parts: Record<string, number> = {}
    for (const part of this.#format.formatToParts(instant))
      if (part.type !== 'literal') parts[part.type] = Number(part.value)
    const hour = (parts.hour ?? 0) % 24
    return {
      year: parts.year ?? 1970,
      month: parts.month ?? 1,
      day: parts.day ?? 1,
      minutes: hour * 60 + (parts.minute ?? 0),
      second: parts.second ?? 0,
    }
  }

  /** The local day of an instant, `2026-11-02`: comparable as a string. */
  day(instant: number): string {
    const { year, month, day } = this.local(instant)
    return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
  }

  /** Local minus UTC at an instant, ms. */
  offset(instant: number): number {
    const t = this.local(instant)
    const wall = Date.UTC(t.year, t.month - 1, t.day, 0, t.minutes, t.second)
    return wall - (instant - (((instant % 1000) + 1000) % 1000))
  }

  /**
   * The instant the local clock reads this date and minute: the first of two across a fall-back change,
   * and just past the change when a spring-forward skips it.
   */
  instant(date: Omit<LocalTime, 'minutes'>, minutes: number): number {
    const wall = Date.UTC(date.year, date.month - 1, date.day, 0, minutes)
    const offsets = new Set([this.offset(wall - DAY_MS / 2), this.offset(wall + DAY_MS / 2)])
    const candidates = [...offsets].map((offset) => wall - offset)
    const exact = candidates.filter((t) => {
      const local = this.local(t)
      return local.minutes === minutes && local.day === date.day
    })
    return exact.length > 0 ? Math.min(...exact) : Math.max(...candidates)
  }

  /** The first instant after `after` at which the local clock reads `minutes`. */
  next(after: number, minutes: number): number {
    const today = this.local(after)
    const at = this.instant(today, minutes)
    if (at > after) return at
    // The next calendar day, by UTC arithmetic on the local date (never off by a DST hour).
    const tomorrow = new Date(Date.UTC(today.year, today.month - 1, today.day + 1))
    const date = {
      year: tomorrow.getUTCFullYear(),
      month: tomorrow.getUTCMonth() + 1,
      day: tomorrow.getUTCDate(),
    }
    return this.instant(date, minutes)
  }
}

/** Whether a minute of the day falls in `[from, to)`, which spans midnight when `to` is before `from`. */
export function inWindow(minute: number, from: number, to: number): boolean {
  return from < to ? minute >= from && minute < to : minute >= from || minute < to
}
