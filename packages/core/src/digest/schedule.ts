/**
 * Digest schedules: when each is sent (a local wall time, every day or on one day of the week) and
 * which period a send covers (the previous local day, or the previous seven).
 */
import { addDays, type DayKey, weekdayOf } from '../shared/day-keys.js'
import type { ZoneClock } from '../shared/zone-clock.js'
import type { DigestPeriod, DigestPeriodKind } from './types.js'

/** A day of the week, for weekly digests. */
export type Weekday = 'sunday' | 'monday' | 'tuesday' | 'wednesday' | 'thursday' | 'friday' | 'saturday'

/** The days of the week, Sunday first (as `Date#getUTCDay` counts). */
export const WEEKDAYS = [
  'sunday',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
] as const satisfies readonly Weekday[]

/** Which digests a schedule makes: one per account, one across the accounts of each mode, or both. */
export type DigestScope = 'account' | 'all' | 'both'

/** One digest schedule, as given in the `digests` option. */
export interface DigestSchedule {
  /** A unique name: letters, digits, `_` or `-`. It is part of each digest's id, e.g. `daily`. */
  readonly name: string
  /** `day`: each day, the previous local day; `week`: once a week, the previous seven local days. */
  readonly every: DigestPeriodKind
  /** The local time it is sent, `HH:MM` (24-hour). @default '09:00' */
  readonly at?: string
  /** For `every: 'week'`, the day it is sent; the week covered ends at that day's midnight. @default 'monday' */
  readonly day?: Weekday
  /** The IANA time zone of its calendar and send time. @default the instance's `timeZone`, else the system's */
  readonly timeZone?: string
  /** One digest per account, one across the accounts of each mode (`all`), or both. @default 'account' */
  readonly scope?: DigestScope
}

/** A schedule with every default filled in. */
export interface ResolvedSchedule {
  readonly name: string
  readonly every: DigestPeriodKind
  readonly hour: number
  readonly minute: number
  /** 0 for Sunday to 6; used by weekly schedules only. */
  readonly weekday: number
  readonly timeZone: string
  readonly scope: DigestScope
}

/** The period a send covers, and the one it is compared with, with their days. */
export interface ScheduledPeriod {
  /** The local day of the send. */
  readonly sendDay: DayKey
  readonly period: DigestPeriod
  readonly previous: DigestPeriod
  /** The period's days, oldest first. */
  readonly days: readonly DayKey[]
  /** The previous period's days, oldest first. */
  readonly previousDays: readonly DayKey[]
}

/** Whether a schedule sends on a day. */
function sendsOn(schedule: ResolvedSchedule, day: DayKey): boolean {
  return schedule.every === 'day' || weekdayOf(day) === schedule.weekday
}

/** The instant of a send on a day (its local wall time; forward by the gap if a change skips it). */
export function sendTime(schedule: ResolvedSchedule, calendar: ZoneClock, day: DayKey): number {
  return calendar.at(day, schedule.hour * 60 + schedule.minute)
}

/** The day of the latest send at or before `now`. */
export function latestSendDay(schedule: ResolvedSchedule, calendar: ZoneClock, now: number): DayKey {
  const today = calendar.dayOf(now)
  for (let back = 0; back <= 8; back++) {
    const day = addDays(today, -back)
    if (sendsOn(schedule, day) && sendTime(schedule, calendar, day) <= now) return day
  }
  return addDays(today, -7) // unreachable: a weekly schedule sends once in any eight days
}

/** The instant of the first send after `now`. */
export function nextSendTime(schedule: ResolvedSchedule, calendar: ZoneClock, now: number): number {
  const today = calendar.dayOf(now)
  for (let ahead = 0; ahead <= 8; ahead++) {
    const day = addDays(today, ahead)
    const at = sendTime(schedule, calendar, day)
    if (sendsOn(schedule, day) && at > now) return at
  }
  return now + 86_400_000 // unreachable, as above
}

function span(calendar: ZoneClock, kind: DigestPeriodKind, first: DayKey, end: DayKey): DigestPeriod {
  return {
    kind,
    start: new Date(calendar.startOfDay(first)),
    end: new Date(calendar.startOfDay(end)),
    timeZone: calendar.timeZone,
  }
}

function daysFrom(first: DayKey, count: number): DayKey[] {
  return Array.from({ length: count }, (_, i) => addDays(first, i))
}

/** What a send on a day covers: the day before (daily), or the seven days before (weekly). */
export function periodOfSend(kind: DigestPeriodKind, calendar: ZoneClock, sendDay: DayKey): ScheduledPeriod {
  const length = kind === 'day' ? 1 : 7
  const first = addDays(sendDay, -length)
  const previousFirst = addDays(first, -length)
  return {
    sendDay,
    period: span(calendar, kind, first, sendDay),
    previous: span(calendar, kind, previousFirst, first),
    days: daysFrom(first, length),
    previousDays: daysFrom(previousFirst, length),
  }
}

/** What the period containing `now` covers so far: today, or the seven days ending today. */
export function currentPeriod(kind: DigestPeriodKind, calendar: ZoneClock, now: number): ScheduledPeriod {
  return periodOfSend(kind, calendar, addDays(calendar.dayOf(now), 1))
}
