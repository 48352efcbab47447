import { describe, expect, it } from 'vitest'
import { renderRevenueChart } from '../src/index.js'
import { DAY, EMPTY_DAY, WEEK } from './fixtures.js'
import { colourCounts, decodePng, PNG_SIGNATURE, pngSize } from './png.js'

/** How many pixels are `#rrggbb`, fully opaque. */
const pixelsOf = (counts: Map<string, number>, hex: string): number => counts.get(`${hex}ff`) ?? 0

describe('the PNG', () => {
  it('is a PNG twice the CSS size by default, sharp on high-density screens', async () => {
    const { png, width, height } = await renderRevenueChart(DAY)
    expect([...png.subarray(0, 8)]).toEqual(PNG_SIGNATURE)
    expect(pngSize(png)).toEqual({ width: width * 2, height: height * 2 })
    expect(pngSize(png)).toEqual({ width: 1280, height: 640 })
  })

  it('follows `scale`, `width` and `height`', async () => {
    const { png } = await renderRevenueChart(WEEK, { width: 500, height: 250, png: { scale: 1 } })
    expect(pngSize(png)).toEqual({ width: 500, height: 250 })
  })

  it('shows the bars of both periods in their colours, and text', async () => {
    const decoded = decodePng((await renderRevenueChart(DAY)).png)
    const counts = colourCounts(decoded)
    expect(counts.size).toBeGreaterThan(50) // anti-aliased text and edges: many shades
    const total = decoded.width * decoded.height
    expect(pixelsOf(counts, '#ffffff')).toBeLessThan(total * 0.95)
    expect(pixelsOf(counts, '#635bff')).toBeGreaterThan(10_000) // the current day's bars
    expect(pixelsOf(counts, '#d4d1ff')).toBeGreaterThan(2_000) // the previous day's, behind
    // The title is black text in DejaVu Sans Bold: its pixels exist only if the font was found.
    expect(pixelsOf(counts, '#000000')).toBeGreaterThan(500)
  })

  it('is not blank for an empty period: axes, labels and the words say so', async () => {
    const counts = colourCounts(decodePng((await renderRevenueChart(EMPTY_DAY)).png))
    expect(counts.size).toBeGreaterThan(20)
    expect(pixelsOf(counts, '#635bff')).toBeGreaterThan(0) // the legend's swatch
  })
})
