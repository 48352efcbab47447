import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { type ChartsView, TodayCharts } from '../src/charts.js'

/** The heights of a series' bars (`current` or `previous`) in a Vega SVG, in drawing order. */
function barHeights(svg: string, series: 'current' | 'previous'): number[] {
  const group =
    new RegExp(`<g class="mark-rect role-mark ${series}_marks"[^>]*>(.*?)</g>`).exec(svg)?.[1] ?? ''
  return [...group.matchAll(/<path d="M[-\d.]+,[-\d.]+h[-\d.]+v([-\d.]+)h[-\d.]+Z"/g)].map((m) =>
    Math.abs(Number(m[1])),
  )
}
const texts = (svg: string): string[] =>
  [...svg.matchAll(/<(?:text|tspan)\b[^>]*>([^<]+)</g)].map((m) => m[1] ?? '')

const usd = (amount: number, at: string) => ({
  amount: { amount, currency: 'usd', formatted: '' },
  createdAt: new Date(at),
})

describe("today's charts", () => {
  let views: ChartsView[]
  let errors: unknown[]
  let charts: TodayCharts
  /** Resolves with the next rendering. */
  let next: () => Promise<ChartsView>

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    views = []
    errors = []
    let waiting: Array<(view: ChartsView) => void> = []
    next = () => new Promise((resolve) => waiting.push(resolve))
    charts = new TodayCharts('2026-11-03', {
      timeZone: 'America/New_York',
      locale: 'en-US',
      debounceMs: 250,
      onChange: (view) => {
        views.push(view)
        for (const resolve of waiting) resolve(view)
        waiting = []
      },
      onError: (error) => errors.push(error),
    })
  })
  afterEach(() => {
    charts.close()
    vi.useRealTimers()
  })

  it('draws a burst of sales once, after the debounce, with a bar in each hour that sold', async () => {
    charts.add(usd(4900, '2026-11-03T14:20:00-05:00'), '2026-11-03')
    charts.add(usd(2500, '2026-11-03T14:40:00-05:00'), '2026-11-03')
    charts.add(usd(1200, '2026-11-03T09:05:00-05:00'), '2026-11-03')
    await vi.advanceTimersByTimeAsync(249)
    expect(views).toEqual([])
    const rendered = next()
    await vi.advanceTimersByTimeAsync(1)
    const view = await rendered
    expect(views).toHaveLength(1)
    expect(view.day).toBe('2026-11-03')
    expect(view.charts.map((c) => c.currency)).toEqual(['usd'])
    const svg = view.charts[0]?.svg ?? ''
    const heights = barHeights(svg, 'current')
    expect(heights).toHaveLength(24)
    expect(heights.flatMap((h, hour) => (h > 0 ? [hour] : []))).toEqual([9, 14])
    // The 14:00 bar ($74.00) stands taller than the 09:00 one ($12.00).
    expect(heights[14]).toBeGreaterThan(heights[9] ?? 0)
    expect(texts(svg)).toEqual(expect.arrayContaining(['Sales by hour · Tue, Nov 3, 2026', '12 AM', '12 PM']))
    expect(view.charts[0]?.description).toContain('$86.00 in total')
    expect(errors).toEqual([])
  })

  it('ignores a sale outside today, and draws each currency on its own chart', async () => {
    charts.add(usd(4900, '2026-11-02T23:59:00-05:00'), '2026-11-03')
    charts.add(
      {
        amount: { amount: 3200, currency: 'JPY', formatted: '' },
        createdAt: new Date('2026-11-03T10:00:00-05:00'),
      },
      '2026-11-03',
    )
    const rendered = next()
    await vi.advanceTimersByTimeAsync(250)
    const view = await rendered
    expect(view.charts.map((c) => c.currency)).toEqual(['jpy'])
    expect(barHeights(view.charts[0]?.svg ?? '', 'current').filter((h) => h > 0)).toHaveLength(1)
  })

  it('starts a new day with yesterday faint behind it', async () => {
    charts.add(usd(4900, '2026-11-03T14:20:00-05:00'), '2026-11-03')
    let rendered = next()
    await vi.advanceTimersByTimeAsync(250)
    await rendered
    rendered = next()
    charts.rollOver('2026-11-04')
    await vi.advanceTimersByTimeAsync(250)
    const view = await rendered
    expect(view.day).toBe('2026-11-04')
    const svg = view.charts[0]?.svg ?? ''
    expect(barHeights(svg, 'current').filter((h) => h > 0)).toEqual([])
    expect(barHeights(svg, 'previous').flatMap((h, hour) => (h > 0 ? [hour] : []))).toEqual([14])
    expect(texts(svg)).toContain('Sales by hour · Wed, Nov 4, 2026')
  })

  it('starts a day the clocks go back at local midnight, with 25 hour bars', async () => {
    // New York, 2026-11-01: midnight EDT is 04:00Z; 01:00-02:00 comes twice (EDT, then EST).
    charts.add(usd(1000, '2026-11-01T04:30:00Z'), '2026-11-01') // 00:30 EDT: the first bar
    charts.add(usd(2000, '2026-11-01T06:30:00Z'), '2026-11-01') // 01:30 EST: the third bar
    charts.add(usd(3000, '2026-11-01T03:59:00Z'), '2026-11-01') // 23:59 EDT the day before: left out
    const rendered = next()
    await vi.advanceTimersByTimeAsync(250)
    const view = await rendered
    expect(view.day).toBe('2026-11-01')
    const heights = barHeights(view.charts[0]?.svg ?? '', 'current')
    expect(heights).toHaveLength(25)
    expect(heights.flatMap((h, slot) => (h > 0 ? [slot] : []))).toEqual([0, 2])
    expect(view.charts[0]?.description).toContain('$30.00 in total')
  })
})
