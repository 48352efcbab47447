import { describe, expect, it } from 'vitest'
import { addDays, dayKeyOf, weekdayOf } from '../src/shared/day-keys.js'
import { isTimeZone, systemTimeZone, ZoneClock } from '../src/shared/zone-clock.js'

const iso = (ms: number): string => new Date(ms).toISOString()
const at = (text: string): number => Date.parse(text)
const paris = new ZoneClock('Europe/Paris')
const newYork = new ZoneClock('America/New_York')
const sydney = new ZoneClock('Australia/Sydney')
const santiago = new ZoneClock('America/Santiago')
const kolkata = new ZoneClock('Asia/Kolkata')

describe('ZoneClock: local midnight and days across daylight-saving changes', () => {
  it('starts Europe/Paris days at local midnight on 2026-03-29 (23 hours) and 2026-10-25 (25 hours)', () => {
    expect(iso(paris.startOfDay('2026-03-29'))).toBe('2026-03-28T23:00:00.000Z')
    expect(iso(paris.startOfDay('2026-03-30'))).toBe('2026-03-29T22:00:00.000Z')
    expect(iso(paris.startOfDay('2026-10-25'))).toBe('2026-10-24T22:00:00.000Z')
    expect(iso(paris.startOfDay('2026-10-26'))).toBe('2026-10-25T23:00:00.000Z')
    expect(paris.dayOf(at('2026-03-28T22:59:59Z'))).toBe('2026-03-28')
    expect(paris.dayOf(at('2026-03-28T23:00:00Z'))).toBe('2026-03-29')
    expect(paris.dayOf(at('2026-10-25T22:59:59Z'))).toBe('2026-10-25')
  })

  it('starts America/New_York days at midnight EDT or EST', () => {
    expect(iso(newYork.startOfDay('2026-11-01'))).toBe('2026-11-01T04:00:00.000Z')
    expect(iso(newYork.startOfDay('2026-11-03'))).toBe('2026-11-03T05:00:00.000Z')
    expect(iso(newYork.startOfDay('2026-03-08'))).toBe('2026-03-08T05:00:00.000Z')
  })

  it('knows half-hour offsets (Asia/Kolkata) and the southern hemisphere (Australia/Sydney)', () => {
    expect(iso(kolkata.startOfDay('2026-11-02'))).toBe('2026-11-01T18:30:00.000Z')
    expect(iso(kolkata.startOfDay('2026-11-03'))).toBe('2026-11-02T18:30:00.000Z')
    expect(kolkata.minuteOfDay(at('2026-11-02T04:00:00Z'))).toBe(9 * 60 + 30)
    // Sydney springs forward on 2026-10-04 at 02:00 (AEST +10 to AEDT +11).
    expect(iso(sydney.startOfDay('2026-10-04'))).toBe('2026-10-03T14:00:00.000Z')
    expect(iso(sydney.startOfDay('2026-10-05'))).toBe('2026-10-04T13:00:00.000Z')
  })

  it('starts an America/Santiago day whose midnight the clocks skip at 01:00', () => {
    // Chile moves its clocks from midnight to 01:00 on 2026-09-06, and back at midnight on 2026-04-05.
    expect(iso(santiago.startOfDay('2026-09-06'))).toBe('2026-09-06T04:00:00.000Z')
    expect(santiago.dayOf(at('2026-09-06T03:59:59Z'))).toBe('2026-09-05')
    expect(iso(santiago.startOfDay('2026-04-05'))).toBe('2026-04-05T04:00:00.000Z')
    expect(santiago.startOfDay('2026-04-05') - santiago.startOfDay('2026-04-04')).toBe(25 * 3_600_000)
  })
})

describe('ZoneClock: the instant of a wall time', () => {
  it('moves a wall time the clocks skip forward by the gap', () => {
    expect(iso(paris.at('2026-03-29', 2 * 60 + 30))).toBe('2026-03-29T01:30:00.000Z') // 03:30 CEST
    expect(iso(newYork.at('2026-03-08', 2 * 60 + 30))).toBe('2026-03-08T07:30:00.000Z') // 03:30 EDT
    expect(iso(sydney.at('2026-10-04', 2 * 60 + 30))).toBe('2026-10-03T16:30:00.000Z') // 03:30 AEDT
  })

  it('reads a repeated wall time as its first occurrence', () => {
    expect(iso(paris.at('2026-10-25', 2 * 60 + 30))).toBe('2026-10-25T00:30:00.000Z') // CEST, not CET
    expect(iso(newYork.at('2026-11-01', 60 + 30))).toBe('2026-11-01T05:30:00.000Z') // EDT, not EST
    expect(iso(sydney.at('2026-04-05', 2 * 60 + 30))).toBe('2026-04-04T15:30:00.000Z') // AEDT, not AEST
    expect(iso(paris.at('2026-10-25', 9 * 60))).toBe('2026-10-25T08:00:00.000Z')
  })

  it('turns a reading back into its instant, milliseconds included', () => {
    const instant = at('2026-10-25T01:30:00.250Z') // 02:30:00.250 CET, the second 02:30
    expect(iso(paris.wall(instant))).toBe('2026-10-25T02:30:00.250Z')
    expect(paris.minuteOfDay(instant)).toBe(2 * 60 + 30)
    expect(paris.dayOf(instant)).toBe('2026-10-25')
    expect(iso(paris.instantOf(paris.wall(at('2026-07-01T12:34:56.789Z'))))).toBe('2026-07-01T12:34:56.789Z')
  })

  it('adds calendar days at the same clock time, 23 or 25 hours across a change', () => {
    const noon = at('2026-03-28T11:00:00Z') // 12:00 CET
    expect(iso(paris.addDays(noon, 1))).toBe('2026-03-29T10:00:00.000Z') // 12:00 CEST
    expect(iso(paris.addDays(paris.startOfDay('2026-10-25'), 1))).toBe('2026-10-25T23:00:00.000Z')
    expect(iso(paris.addDays(paris.startOfDay('2026-11-02'), -7))).toBe('2026-10-25T23:00:00.000Z') // 10-26
    expect(iso(paris.addDays(paris.startOfDay('2026-11-02'), -8))).toBe('2026-10-24T22:00:00.000Z') // 10-25
  })

  it('finds the next instant the clock reads a time, today or tomorrow', () => {
    const lateSaturday = at('2026-03-28T22:30:00Z') // 23:30 CET, before the spring-forward night
    expect(iso(paris.next(lateSaturday, 8 * 60))).toBe('2026-03-29T06:00:00.000Z') // 08:00 CEST
    expect(iso(paris.next(at('2026-03-29T06:00:00Z'), 8 * 60))).toBe('2026-03-30T06:00:00.000Z')
    expect(iso(paris.next(at('2026-03-29T05:59:00Z'), 8 * 60))).toBe('2026-03-29T06:00:00.000Z')
  })
})

describe('time zone names', () => {
  it('accepts the zones Intl knows and nothing else', () => {
    expect(isTimeZone('Europe/Paris')).toBe(true)
    expect(isTimeZone('UTC')).toBe(true)
    for (const value of ['Mars/Olympus', '', undefined, 42, null]) expect(isTimeZone(value)).toBe(false)
    expect(() => new ZoneClock('Mars/Olympus')).toThrow(RangeError)
  })

  it('reports the system zone as one it knows', () => {
    expect(systemTimeZone()).toBe(new Intl.DateTimeFormat().resolvedOptions().timeZone)
    expect(isTimeZone(systemTimeZone())).toBe(true)
  })
})

describe('day keys', () => {
  it('adds days across months, leap days and years, and names the weekday', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29')
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01')
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01')
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28')
    expect(dayKeyOf(2026, 1, 32)).toBe('2026-02-01')
    expect(weekdayOf('2026-11-02')).toBe(1) // a Monday
    expect(weekdayOf('2026-11-08')).toBe(0)
  })
})
