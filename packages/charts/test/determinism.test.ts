import { describe, expect, it } from 'vitest'
import { renderRevenueChart, renderRevenueChartSvg } from '../src/index.js'
import { DAY, LONG_DAY, WEEK } from './fixtures.js'

describe('the same input', () => {
  it('gives the same SVG and PNG bytes, whatever was rendered in between', async () => {
    const first = await renderRevenueChart(DAY)
    await renderRevenueChart(WEEK)
    await Promise.all([renderRevenueChart(LONG_DAY), renderRevenueChartSvg(WEEK)])
    const again = await renderRevenueChart(DAY)
    expect(again.svg).toBe(first.svg)
    expect(Buffer.from(again.png).equals(Buffer.from(first.png))).toBe(true)
  })

  it("does not depend on the machine's time zone", async () => {
    const saved = process.env.TZ
    try {
      process.env.TZ = 'UTC'
      const utc = await renderRevenueChartSvg(DAY)
      process.env.TZ = 'Pacific/Kiritimati'
      const kiritimati = await renderRevenueChartSvg(DAY)
      expect(new Date('2026-11-03T00:00:00Z').getTimezoneOffset()).toBe(-840) // the zone took effect
      expect(kiritimati.svg).toBe(utc.svg)
    } finally {
      if (saved === undefined) delete process.env.TZ
      else process.env.TZ = saved
    }
  })
})
