import { describe, expect, it } from 'vitest'
import { hourSlot, hoursIn } from '../src/digest/hour-slots.js'
import { latestSendDay, nextSendTime, periodOfSend, type ResolvedSchedule } from '../src/digest/schedule.js'
import { ZoneClock } from '../src/shared/zone-clock.js'

const paris = new ZoneClock('Europe/Paris')
const daily: ResolvedSchedule = {
  name: 'daily',
  every: 'day',
  hour: 9,
  minute: 0,
  weekday: 1,
  timeZone: 'Europe/Paris',
  scope: 'account',
}
const iso = (ms: number): string => new Date(ms).toISOString()

describe('hour slots of local days across daylight-saving changes', () => {
  it('gives Europe/Paris 23 hours on 2026-03-29 and 25 on 2026-10-25, Sydney 23 on 2026-10-04', () => {
    expect(hoursIn(paris, '2026-03-28')).toBe(24)
    expect(hoursIn(paris, '2026-03-29')).toBe(23)
    expect(hoursIn(paris, '2026-10-25')).toBe(25)
    expect(hoursIn(new ZoneClock('Australia/Sydney'), '2026-10-04')).toBe(23) // spring forward in October
  })

  it('counts hour slots in real hours on a 25-hour day', () => {
    expect(hourSlot(paris, '2026-10-25', Date.parse('2026-10-25T00:59:00Z'))).toBe(2) // 02:59 CEST
    expect(hourSlot(paris, '2026-10-25', Date.parse('2026-10-25T01:30:00Z'))).toBe(3) // 02:30 CET
    expect(hourSlot(paris, '2026-10-25', Date.parse('2026-10-25T22:59:00Z'))).toBe(24)
  })
})

describe('digest schedules', () => {
  it('sends the daily digest at 09:00 local time on the day after a DST change, covering the 23-hour day', () => {
    const span = periodOfSend('day', paris, '2026-03-30')
    expect(iso(span.period.start.getTime())).toBe('2026-03-28T23:00:00.000Z')
    expect(iso(span.period.end.getTime())).toBe('2026-03-29T22:00:00.000Z')
    expect(span.period.end.getTime() - span.period.start.getTime()).toBe(23 * 3_600_000)
    expect(span.previousDays).toEqual(['2026-03-28'])
    const before = Date.parse('2026-03-30T06:59:00Z')
    expect(iso(nextSendTime(daily, paris, before))).toBe('2026-03-30T07:00:00.000Z') // 09:00 CEST
    expect(latestSendDay(daily, paris, before)).toBe('2026-03-29')
    expect(iso(nextSendTime(daily, paris, Date.parse('2026-10-25T12:00:00Z')))).toBe(
      '2026-10-26T08:00:00.000Z', // 09:00 CET
    )
  })

  it('sends the weekly digest on its weekday, covering the seven days before', () => {
    const weekly: ResolvedSchedule = { ...daily, name: 'weekly', every: 'week', weekday: 1 }
    const now = Date.parse('2026-11-05T12:00:00Z') // a Thursday
    expect(latestSendDay(weekly, paris, now)).toBe('2026-11-02')
    expect(iso(nextSendTime(weekly, paris, now))).toBe('2026-11-09T08:00:00.000Z')
    const span = periodOfSend('week', paris, '2026-11-02')
    expect(span.days).toEqual([
      '2026-10-26',
      '2026-10-27',
      '2026-10-28',
      '2026-10-29',
      '2026-10-30',
      '2026-10-31',
      '2026-11-01',
    ])
    expect(span.previousDays[0]).toBe('2026-10-19')
    expect(span.period.kind).toBe('week')
  })
})
