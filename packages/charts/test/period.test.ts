import { describe, expect, it } from 'vitest'
import { chartSlots, previousPeriod } from '../src/index.js'

const HOUR = 3_600_000
const day = (start: string, timeZone: string) => ({ kind: 'day', start: new Date(start), timeZone }) as const
const hours = (slots: readonly { start: Date; end: Date }[]) =>
  slots.reduce((total, slot) => total + (slot.end.getTime() - slot.start.getTime()) / HOUR, 0)

describe('chartSlots', () => {
  it('cuts a day into its hours, end to end', () => {
    const slots = chartSlots(day('2026-11-03T00:00:00-05:00', 'America/New_York'))
    expect(slots).toHaveLength(24)
    expect(slots[0]?.start.toISOString()).toBe('2026-11-03T05:00:00.000Z')
    expect(slots[23]?.end.toISOString()).toBe('2026-11-04T05:00:00.000Z')
    for (const [i, slot] of slots.slice(1).entries()) expect(slot.start).toEqual(slots[i]?.end)
  })

  it('gives the day the clocks go back 25 hours, and the day they go forward 23', () => {
    const autumn = chartSlots(day('2026-10-25T00:00:00+02:00', 'Europe/Paris'))
    expect(autumn).toHaveLength(25)
    expect(autumn[24]?.end.toISOString()).toBe('2026-10-25T23:00:00.000Z') // midnight, UTC+1
    const spring = chartSlots(day('2026-03-29T00:00:00+01:00', 'Europe/Paris'))
    expect(spring).toHaveLength(23)
    expect(spring[22]?.end.toISOString()).toBe('2026-03-29T22:00:00.000Z') // midnight, UTC+2
    expect(hours(spring)).toBe(23)
  })

  it('cuts a week into seven calendar days, one of them 25 hours long when the clocks go back', () => {
    const slots = chartSlots({
      kind: 'week',
      start: new Date('2026-10-26T00:00:00-04:00'),
      timeZone: 'America/New_York',
    })
    expect(slots).toHaveLength(7)
    expect(slots.map((slot) => (slot.end.getTime() - slot.start.getTime()) / HOUR)).toEqual([
      24, 24, 24, 24, 24, 24, 25,
    ])
    expect(slots[6]?.end.toISOString()).toBe('2026-11-02T05:00:00.000Z')
  })

  it('follows a zone whose offset has half hours', () => {
    const slots = chartSlots(day('2026-11-03T00:00:00+05:30', 'Asia/Kolkata'))
    expect(slots).toHaveLength(24)
    expect(slots[0]?.start.toISOString()).toBe('2026-11-02T18:30:00.000Z')
  })

  it('lets a day start at another whole hour of the clock, e.g. a digest sent at 09:00', () => {
    const slots = chartSlots(day('2026-10-24T09:00:00+02:00', 'Europe/Paris'))
    // From 09:00 on the 24th to 09:00 on the 25th, across the night the clocks go back.
    expect(slots).toHaveLength(25)
    expect(slots[24]?.end.toISOString()).toBe('2026-10-25T08:00:00.000Z')
  })
})

describe('previousPeriod', () => {
  it('is the calendar day before, from its own midnight', () => {
    const previous = previousPeriod(day('2026-03-30T00:00:00+02:00', 'Europe/Paris'))
    expect(previous.start.toISOString()).toBe('2026-03-28T23:00:00.000Z')
    expect(chartSlots(previous)).toHaveLength(23)
  })

  it('is the week before, across a change of the clocks', () => {
    const week = {
      kind: 'week',
      start: new Date('2026-11-02T00:00:00-05:00'),
      timeZone: 'America/New_York',
    } as const
    const previous = previousPeriod(week)
    expect(previous).toEqual({
      kind: 'week',
      start: new Date('2026-10-26T00:00:00-04:00'),
      timeZone: 'America/New_York',
    })
  })
})
