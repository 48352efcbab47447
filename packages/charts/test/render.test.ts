import { describe, expect, it } from 'vitest'
import { renderRevenueChartSvg } from '../src/index.js'
import { DAY, EMPTY_DAY, WEEK } from './fixtures.js'
import { svgAccessibility, svgBars, svgSize, svgTexts } from './svg.js'

/** WCAG's relative luminance of `#rrggbb`: 0 is black, 1 white. */
function luminance(hex: string): number {
  const [r = 0, g = 0, b = 0] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * r + 0.7152 * g + 0.0722 * b
}

/** The contrast ratio of a colour against the white background. */
const contrast = (hex: string): number => 1.05 / (luminance(hex) + 0.05)

describe('the chart of a day', () => {
  it('is an SVG of the asked size with the title, the totals and the hours of the clock', async () => {
    const chart = await renderRevenueChartSvg(DAY)
    expect(svgSize(chart.svg)).toEqual({ width: 640, height: 320 })
    expect([chart.width, chart.height]).toEqual([640, 320])
    const texts = svgTexts(chart.svg)
    expect(texts).toContain('Sales by hour · Tue, Nov 3, 2026')
    expect(texts).toContain('USD · America/New_York time · total $915.08, previous day $812.06')
    // A tick every third hour of New York's clock, whatever the machine's own time zone.
    for (const hour of ['12 AM', '3 AM', '6 AM', '9 AM', '12 PM', '3 PM', '6 PM', '9 PM']) {
      expect(texts).toContain(hour)
    }
    // The amount axis in dollars, whole dollars at whole-dollar ticks.
    expect(texts).toEqual(expect.arrayContaining(['$0', '$50', '$100', '$150', '$200']))
    expect(texts).toEqual(expect.arrayContaining(['Tue, Nov 3', 'Mon, Nov 2']))
  })

  it('draws one bar per hour for both days, the previous day faint and behind', async () => {
    const { svg } = await renderRevenueChartSvg(DAY)
    const current = svgBars(svg, 'current')
    const previous = svgBars(svg, 'previous')
    expect(current).toHaveLength(24)
    expect(previous).toHaveLength(24)
    const [strong = '', faint = ''] = [current[0]?.fill, previous[0]?.fill]
    expect(contrast(strong)).toBeGreaterThan(4.5)
    expect(contrast(faint)).toBeLessThan(1.6)
    // Behind: drawn first, so the current bars cover it.
    expect(svg.indexOf('previous_marks')).toBeLessThan(svg.indexOf('current_marks'))
    // Heights follow the amounts: the busiest hour has the tallest bar.
    const heights = current.map((bar) => bar.height)
    expect(heights.indexOf(Math.max(...heights))).toBe(DAY.current.indexOf(Math.max(...DAY.current)))
  })

  it('names and describes itself for screen readers and `alt` text', async () => {
    const chart = await renderRevenueChartSvg(DAY)
    const { title, desc, labelled } = svgAccessibility(chart.svg)
    expect(labelled).toBe(true)
    expect(title).toBe('Sales by hour · Tue, Nov 3, 2026')
    expect(desc).toBe(chart.description)
    expect(chart.description).toBe(
      'Sales by hour · Tue, Nov 3, 2026, in USD, America/New_York time: $915.08 in total. ' +
        'Faint bars behind: the previous day, $812.06 in total. Best hour: 7:00 PM, $148.00.',
    )
  })

  it('draws no faint bars when there is no previous period', async () => {
    const { previous: _, ...data } = DAY
    const chart = await renderRevenueChartSvg(data)
    expect(svgBars(chart.svg, 'previous')).toEqual([])
    expect(svgBars(chart.svg, 'current')).toHaveLength(24)
    expect(svgTexts(chart.svg)).not.toContain('Mon, Nov 2')
    expect(chart.description).not.toContain('previous')
  })

  it('takes a title, a locale and a size', async () => {
    const chart = await renderRevenueChartSvg(
      { ...DAY, currency: 'EUR' },
      { title: 'Ventes par heure', locale: 'fr-FR', width: 480, height: 240 },
    )
    expect(svgSize(chart.svg)).toEqual({ width: 480, height: 240 })
    const texts = svgTexts(chart.svg)
    expect(texts).toContain('Ventes par heure')
    expect(texts).toEqual(expect.arrayContaining(['00 h', '03 h', '21 h']))
    // French amounts: the symbol after the number, a narrow no-break space before it.
    expect(texts).toContain('0\u00a0€')
    expect(texts).toContain('200\u00a0€')
  })
})

describe('the chart of a week', () => {
  it('has a bar per day, labelled with the weekday and date in the zone, amounts in yen', async () => {
    const chart = await renderRevenueChartSvg(WEEK)
    expect(svgBars(chart.svg, 'current')).toHaveLength(7)
    expect(svgBars(chart.svg, 'previous')).toHaveLength(7)
    const texts = svgTexts(chart.svg)
    // Intl's ranges put thin spaces around the dash.
    expect(texts).toContain('Sales by day · Nov 2\u2009–\u20098, 2026')
    expect(texts).toEqual(
      expect.arrayContaining(['Mon', 'Nov 2', 'Sun', 'Nov 8', 'Oct 26\u2009–\u2009Nov 1']),
    )
    // Yen have no minor unit: 312,400 is ¥312,400, not ¥3,124.00.
    expect(texts).toEqual(expect.arrayContaining(['¥0', '¥100,000', '¥400,000']))
    expect(chart.description).toContain('Best day: Saturday, Nov 7, ¥312,400.')
  })

  it('shows three-decimal currencies in thousandths', async () => {
    const { previous: _, ...week } = WEEK
    const chart = await renderRevenueChartSvg({ ...week, currency: 'kwd' })
    expect(chart.description).toContain('KWD\u00a01,539.000 in total')
    expect(svgTexts(chart.svg)).toEqual(expect.arrayContaining(['KWD\u00a00', 'KWD\u00a0400']))
  })
})

describe('the chart of an empty period', () => {
  it('still has its axes, says there was no sale, and has no visible bar', async () => {
    const chart = await renderRevenueChartSvg(EMPTY_DAY)
    const texts = svgTexts(chart.svg)
    expect(texts).toContain('No sales this day')
    expect(texts).toEqual(expect.arrayContaining(['$0', '$4', '12 AM', '9 PM']))
    expect(svgBars(chart.svg, 'current').every((bar) => bar.height === 0)).toBe(true)
    expect(chart.description).toContain('$0.00 in total')
    expect(chart.description).toContain('No sales this day.')
  })
})
