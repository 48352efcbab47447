/**
 * The chart the docs show (docs/images/digest-chart-day.svg and .png) is the fixture day's, as rendered
 * now. `CASHNOTIFY_WRITE_IMAGES=1 npx vitest run --project charts` writes them again after a change.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { renderRevenueChart } from '../src/index.js'
import { DAY } from './fixtures.js'
import { pngSize } from './png.js'

const images = fileURLToPath(new URL('../../../docs/images/', import.meta.url))
const svgFile = `${images}digest-chart-day.svg`
const pngFile = `${images}digest-chart-day.png`
const write = process.env.CASHNOTIFY_WRITE_IMAGES === '1'

describe('the docs’ chart', () => {
  it('is the fixture day as rendered now', async () => {
    const chart = await renderRevenueChart(DAY)
    if (write) {
      mkdirSync(images, { recursive: true })
      writeFileSync(svgFile, chart.svg)
      writeFileSync(pngFile, chart.png)
    }
    const how = 'run `CASHNOTIFY_WRITE_IMAGES=1 npx vitest run --project charts` to write it again'
    expect(existsSync(svgFile), `${svgFile} is missing: ${how}`).toBe(true)
    expect(readFileSync(svgFile, 'utf8'), `${svgFile} is out of date: ${how}`).toBe(chart.svg)
    // The PNG's pixels depend on the font files' version; its size does not.
    expect(pngSize(readFileSync(pngFile))).toEqual(pngSize(chart.png))
  })
})
