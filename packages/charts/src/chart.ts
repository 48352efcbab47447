/** The public renderers: the data and options checked, the texts and the spec made, then drawn. */

import { svgToPng } from './png.js'
import { resolveData } from './resolve-input.js'
import { resolveOptions, resolvePngOptions } from './resolve-options.js'
import { chartSpec } from './spec.js'
import { accessibleSvg, specToSvg } from './svg.js'
import { chartTexts } from './texts.js'
import type {
  PngOptions,
  RevenueChart,
  RevenueChartData,
  RevenueChartOptions,
  RevenueChartSvg,
} from './types.js'

/**
 * Renders the revenue chart of one period in one currency as SVG: one bar per hour of a day or per day
 * of a week, the previous period's bars faint behind. The same input always gives the same bytes.
 *
 * @throws `ConfigError` (code `config_invalid`) listing every problem of the data or options.
 * @example
 * ```ts
 * const chart = await renderRevenueChartSvg({
 *   period: { kind: 'day', start: new Date('2026-11-03T00:00:00+01:00'), timeZone: 'Europe/Paris' },
 *   currency: 'eur',
 *   current: Array.from({ length: 24 }, (_, hour) => (hour >= 9 && hour < 18 ? 4900 : 0)),
 * })
 * ```
 */
export async function renderRevenueChartSvg(
  data: RevenueChartData,
  options: RevenueChartOptions = {},
): Promise<RevenueChartSvg> {
  const resolved = resolveData(data)
  const look = resolveOptions(options)
  const texts = chartTexts(resolved, look)
  const svg = await specToSvg(chartSpec(resolved, look, texts))
  return {
    svg: accessibleSvg(svg, texts.title, texts.description),
    width: look.width,
    height: look.height,
    title: texts.title,
    description: texts.description,
  }
}

/**
 * Renders the chart as SVG and as PNG (see {@link renderRevenueChartSvg}). The PNG's text is drawn with
 * DejaVu Sans: the system's (Debian: `fonts-dejavu-core`) unless `png.fontFiles` names the files.
 *
 * @throws `ConfigError` listing every problem of the data or options, or saying which font to install.
 */
export async function renderRevenueChart(
  data: RevenueChartData,
  options: RevenueChartOptions & { readonly png?: PngOptions } = {},
): Promise<RevenueChart> {
  const { png: pngOptions, ...look } = options
  // The PNG's options first: a missing font is found before any drawing.
  const png = resolvePngOptions(pngOptions)
  const chart = await renderRevenueChartSvg(data, look)
  return { ...chart, png: svgToPng(chart.svg, png) }
}
