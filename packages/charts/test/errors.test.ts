import { ConfigError } from '@cashnotify/core/notifier'
import { describe, expect, it } from 'vitest'
import {
  chartSlots,
  type PngOptions,
  type RevenueChartData,
  type RevenueChartOptions,
  renderRevenueChart,
  renderRevenueChartSvg,
} from '../src/index.js'
import { DAY, SHORT_DAY, WEEK } from './fixtures.js'

/** The ConfigError a render rejects with, for input the types would refuse, as JavaScript callers can. */
async function configError(data: unknown, options?: unknown, png?: unknown): Promise<ConfigError> {
  const render =
    png === undefined
      ? renderRevenueChartSvg(data as RevenueChartData, options as RevenueChartOptions)
      : renderRevenueChart(data as RevenueChartData, { png: png as PngOptions })
  const error: unknown = await render.then(
    () => expect.unreachable('expected a ConfigError'),
    (reason: unknown) => reason,
  )
  expect(error).toBeInstanceOf(ConfigError)
  expect((error as ConfigError).code).toBe('config_invalid')
  expect((error as ConfigError).message).toMatch(/^\[cashnotify\] \[charts\] /)
  return error as ConfigError
}

describe('bad data', () => {
  it('says how many amounts a day needs, and why a day the clocks change needs 23', async () => {
    const error = await configError({ ...SHORT_DAY, current: DAY.current })
    expect(error.message).toBe(
      '[cashnotify] [charts] Expected `current.length` to be 23, one amount per hour of the day ' +
        '(it has 23 hours: the clocks change that day), got 24.',
    )
  })

  it('checks the previous period against its own length', async () => {
    const error = await configError({ ...WEEK, previous: [1, 2, 3] })
    expect(error.message).toContain(
      'Expected `previous.length` to be 7, one amount per day of the week before, got 3.',
    )
  })

  it('refuses negative, fractional and non-numeric amounts, naming each', async () => {
    const current = [...DAY.current]
    current[3] = -500
    current[7] = 12.5
    current[9] = Number.NaN
    const error = await configError({ ...DAY, current, previous: [...(DAY.previous ?? []).slice(1), '100'] })
    const what = 'an amount in minor units: a whole number, 0 or more'
    expect(error.message).toContain(`Expected \`current[3]\` to be ${what}, got -500.`)
    expect(error.message).toContain(`Expected \`current[7]\` to be ${what}, got 12.5.`)
    expect(error.message).toContain(`Expected \`current[9]\` to be ${what}, got NaN.`)
    expect(error.message).toContain(`Expected \`previous[23]\` to be ${what}, got "100".`)
  })

  it('refuses an unknown currency', async () => {
    const error = await configError({ ...DAY, currency: 'xyz' })
    expect(error.message).toBe(
      '[cashnotify] [charts] Expected `currency` to be an ISO 4217 currency code such as `usd`, got "xyz".',
    )
    expect((await configError({ ...DAY, currency: 'dollars' })).message).toContain('got "dollars".')
    expect((await configError({ ...DAY, currency: undefined })).message).toContain('got nothing.')
  })

  it('refuses an invalid time zone', async () => {
    const error = await configError({ ...DAY, period: { ...DAY.period, timeZone: 'Mars/Olympus_Mons' } })
    expect(error.message).toBe(
      '[cashnotify] [charts] Expected `period.timeZone` to be an IANA time zone such as `Europe/Paris`, ' +
        'got "Mars/Olympus_Mons".',
    )
  })

  it('refuses a start that is not a date, or not at a whole hour of the zone', async () => {
    const invalid = await configError({ ...DAY, period: { ...DAY.period, start: new Date('soon') } })
    expect(invalid.message).toContain('Expected `period.start` to be a valid Date, got a date.')
    const text = await configError({ ...DAY, period: { ...DAY.period, start: '2026-11-03' } })
    expect(text.message).toContain('Expected `period.start` to be a valid Date, got "2026-11-03".')
    // 00:00 UTC is 05:30 in Kolkata.
    const kolkata = { kind: 'day', start: new Date('2026-11-03T00:00:00Z'), timeZone: 'Asia/Kolkata' }
    const half = await configError({ ...DAY, period: kolkata })
    expect(half.message).toBe(
      "[cashnotify] [charts] Expected `period.start` to be at a whole hour of Asia/Kolkata's clock " +
        '(usually midnight), got "2026-11-03T00:00:00.000Z".',
    )
  })

  it('refuses a period kind it does not draw', async () => {
    const error = await configError({ ...DAY, period: { ...DAY.period, kind: 'month' } })
    expect(error.message).toContain("Expected `period.kind` to be 'day' or 'week', got \"month\".")
  })

  it('lists every problem at once', async () => {
    const error = await configError({ period: { kind: 'day' }, currency: 'zzz', current: [-1] })
    expect(error.message).toBe(
      '[cashnotify] [charts] Expected `period.start` to be a valid Date, got nothing. ' +
        'Expected `period.timeZone` to be an IANA time zone such as `Europe/Paris`, got nothing. ' +
        'Expected `currency` to be an ISO 4217 currency code such as `usd`, got "zzz". ' +
        'Expected `current[0]` to be an amount in minor units: a whole number, 0 or more, got -1.',
    )
  })

  it('refuses data that is not an object, and a period that is not one', async () => {
    expect((await configError(null)).message).toContain('Expected `data` to be an object')
    expect((await configError({ ...DAY, period: 'today' })).message).toContain(
      'Expected `period` to be an object with `kind`, `start` and `timeZone`, got "today".',
    )
    expect((await configError({ ...DAY, current: undefined })).message).toContain(
      'Expected `current` to be an array of amounts in minor units, got nothing.',
    )
  })

  it('checks the period given to chartSlots too', () => {
    expect(() => chartSlots({ ...DAY.period, timeZone: 'Nowhere' })).toThrow(ConfigError)
  })
})

describe('bad options', () => {
  it('refuses a size out of range, a blank title and a malformed locale, all at once', async () => {
    const error = await configError(DAY, { width: 10, height: 1e6, title: ' ', locale: 'not a locale' })
    expect(error.message).toBe(
      '[cashnotify] [charts] Expected `title` to be a string that is not blank, got " ". ' +
        'Expected `locale` to be a BCP 47 locale such as `en-US`, got "not a locale". ' +
        'Expected `width` to be a whole number from 240 to 2000, got 10. ' +
        'Expected `height` to be a whole number from 160 to 1200, got 1000000.',
    )
  })

  it('refuses options that are not an object', async () => {
    expect((await configError(DAY, 'big')).message).toBe(
      '[cashnotify] [charts] Expected `options` to be an object, got "big".',
    )
    expect((await configError(DAY, undefined, 2)).message).toContain('Expected `png` to be an object, got 2.')
  })

  it('refuses a scale out of range and font files that do not exist', async () => {
    const error = await configError(DAY, undefined, { scale: 10, fontFiles: ['/nowhere/Font.ttf'] })
    expect(error.message).toBe(
      '[cashnotify] [charts] Expected `scale` to be a number from 0.5 to 4, got 10. ' +
        'Expected `fontFiles[0]` to be the path of an existing font file, got "/nowhere/Font.ttf".',
    )
    const empty = await configError(DAY, undefined, { fontFiles: [] })
    expect(empty.message).toContain(
      'Expected `fontFiles` to be a non-empty array of paths to TTF or OTF files',
    )
  })
})
