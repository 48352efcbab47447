import { describe, expectTypeOf, it } from 'vitest'
import {
  type ChartPeriod,
  type ChartPeriodKind,
  type ChartSlot,
  chartSlots,
  previousPeriod,
  type RevenueChart,
  type RevenueChartSvg,
  renderRevenueChart,
  renderRevenueChartSvg,
} from '../src/index.js'

const period: ChartPeriod = { kind: 'day', start: new Date(), timeZone: 'UTC' }
const current: number[] = []

describe('the chart API', () => {
  it('takes plain data and resolves to the images and their texts', () => {
    expectTypeOf<ChartPeriodKind>().toEqualTypeOf<'day' | 'week'>()
    expectTypeOf(renderRevenueChart({ period, currency: 'usd', current })).toEqualTypeOf<
      Promise<RevenueChart>
    >()
    expectTypeOf(renderRevenueChartSvg({ period, currency: 'usd', current })).toEqualTypeOf<
      Promise<RevenueChartSvg>
    >()
    expectTypeOf<RevenueChart['png']>().toEqualTypeOf<Uint8Array>()
    expectTypeOf(chartSlots(period)).toEqualTypeOf<readonly ChartSlot[]>()
    expectTypeOf(previousPeriod(period)).toEqualTypeOf<ChartPeriod>()
    // Readonly arrays, as an aggregate store hands them out, are accepted.
    const frozen: readonly number[] = Object.freeze([1, 2])
    renderRevenueChartSvg({ period, currency: 'usd', current: frozen, previous: frozen }, { locale: 'fr-FR' })
    renderRevenueChart({ period, currency: 'usd', current }, { width: 600, png: { scale: 1 } })
  })

  it('refuses misuse', () => {
    // @ts-expect-error: a month is not a period it draws
    renderRevenueChartSvg({ period: { ...period, kind: 'month' }, currency: 'usd', current })
    // @ts-expect-error: the start is a Date, not a string
    renderRevenueChartSvg({ period: { ...period, start: '2026-11-03' }, currency: 'usd', current })
    // @ts-expect-error: amounts are numbers (minor units), not formatted strings
    renderRevenueChartSvg({ period, currency: 'usd', current: ['$1.00'] })
    // @ts-expect-error: the currency is required
    renderRevenueChartSvg({ period, current })
    // @ts-expect-error: `previous` is left out, not undefined (exactOptionalPropertyTypes)
    renderRevenueChartSvg({ period, currency: 'usd', current, previous: undefined })
    // @ts-expect-error: PNG options go under `png`, and only renderRevenueChart draws a PNG
    renderRevenueChartSvg({ period, currency: 'usd', current }, { png: { scale: 2 } })
  })
})
