/** Times of day as the rules write them (`22:30`) and read them (minutes since local midnight). */

/** `22:30` as 1350 minutes. */
export function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

/** Whether a minute of the day falls in `[from, to)`, which spans midnight when `to` is before `from`. */
export function inWindow(minute: number, from: number, to: number): boolean {
  return from < to ? minute >= from && minute < to : minute >= from || minute < to
}
