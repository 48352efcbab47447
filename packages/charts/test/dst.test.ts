import { describe, expect, it } from 'vitest'
import { chartSlots, previousPeriod, renderRevenueChartSvg } from '../src/index.js'
import { LONG_DAY, SHORT_DAY } from './fixtures.js'
import { svgBars, svgTexts } from './svg.js'

describe('a day the clocks change', () => {
  it('has 25 bars when the clocks go back, and labels the hours of the local clock', async () => {
    const { svg, description } = await renderRevenueChartSvg(LONG_DAY)
    expect(svgBars(svg, 'current')).toHaveLength(25)
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(['12 AM', '3 AM', '6 AM', '9 PM']))
    expect(description).toContain('The day has 25 hours: the clocks changed.')
  })

  it('has 23 bars when the clocks go forward', async () => {
    const { svg, description } = await renderRevenueChartSvg(SHORT_DAY)
    expect(svgBars(svg, 'current')).toHaveLength(23)
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(['12 AM', '3 AM', '9 PM']))
    expect(description).toContain('The day has 23 hours: the clocks changed.')
  })

  it('puts the day before behind it by clock time: nothing behind the repeated hour', async () => {
    const previousHours = chartSlots(previousPeriod(LONG_DAY.period)).length
    // The day before had one 02:00; each hour's amount grows, so a bar shifted by an hour would show.
    const data = {
      ...LONG_DAY,
      previous: Array.from({ length: previousHours }, (_, hour) => (hour + 1) * 100),
    }
    const { svg } = await renderRevenueChartSvg(data)
    const current = svgBars(svg, 'current')
    const previous = svgBars(svg, 'previous')
    expect(previous).toHaveLength(24)
    const behind = current.map((bar) => previous.findIndex((p) => p.centre === bar.centre))
    // Slots 0-2 (00:00, 01:00, the first 02:00) over hours 0-2; the second 02:00 over nothing; then 03:00...
    expect(behind).toEqual([0, 1, 2, -1, ...Array.from({ length: 21 }, (_, i) => i + 3)])
    const heights = previous.map((bar) => bar.height)
    expect((heights[23] ?? 0) / (heights[0] ?? 1)).toBeCloseTo(24, 1)
  })

  it('leaves out the hour the day before had and this day skips', async () => {
    // The day before's 02:00 is huge: shown, it would stretch the axis far above $1.
    const previous = Array.from({ length: 24 }, (_, hour) => (hour === 2 ? 1_000_000 : 100))
    const data = { ...SHORT_DAY, current: Array.from({ length: 23 }, () => 100), previous }
    const { svg } = await renderRevenueChartSvg(data)
    const bars = svgBars(svg, 'previous')
    expect(bars).toHaveLength(23)
    expect(new Set(bars.map((bar) => bar.height)).size).toBe(1)
    expect(svgTexts(svg)).toEqual(expect.arrayContaining(['€0.00', '€0.25', '€1.00']))
    expect(svgTexts(svg)).not.toContain('€10,000.00')
  })
})
