/**
 * Calendar days as `YYYY-MM-DD` keys, in any time zone: the arithmetic is on the date alone (UTC
 * fields), so adding a day is never off by a daylight-saving hour. {@link ZoneClock} maps them to instants.
 */

/** A calendar day, `YYYY-MM-DD`: comparable as a string. */
export type DayKey = string

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0')
}

/** The key of a calendar day; a day or month out of range rolls over (`2026-01-32` is `2026-02-01`). */
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
