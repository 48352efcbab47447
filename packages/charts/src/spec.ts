/**
 * The Vega-Lite specification of a chart: one bar per slot, the previous period's bars wide and faint
 * behind the current period's narrower solid ones, on one amount axis in the currency.
 */
import type { TopLevelSpec } from 'vega-lite'
import type { ResolvedData } from './resolve-input.js'
import type { ResolvedOptions } from './resolve-options.js'
import { alignPrevious } from './slots.js'
import type { ChartTexts } from './texts.js'
import { type AmountTicks, amountTicks } from './ticks.js'

/**
 * The current period's colour, and the previous period's: the same hue, faint. A tint rather than an
 * opacity, so that the legend's swatch is as faint as the bars.
 */
export const CURRENT_COLOR = '#635bff'
export const PREVIOUS_COLOR = '#d4d1ff'
/** DejaVu Sans draws the PNG; Verdana's widths are close to it where the SVG is shown without it. */
export const FONT = 'DejaVu Sans, Verdana, sans-serif'

/** A Vega expression that reads `labels[i]` where `values[i]` is the tick's value. */
function lookup(values: readonly number[], labels: readonly (string | readonly string[])[]): string {
  return `${JSON.stringify(labels)}[indexof(${JSON.stringify(values)}, datum.value)]`
}

/** The look every chart shares: DejaVu Sans, quiet greys, no ARIA inside (the root has a title and desc). */
const CONFIG: NonNullable<TopLevelSpec['config']> = {
  font: FONT,
  aria: false,
  view: { stroke: null },
  title: { fontSize: 15, subtitleFontSize: 11, subtitleColor: '#6b7280' },
  axis: { labelColor: '#374151', labelFontSize: 11, domainColor: '#9ca3af', gridColor: '#e5e7eb' },
  axisX: { grid: false },
  legend: { labelFontSize: 11, labelColor: '#374151' },
}

type Layers = Extract<TopLevelSpec, { layer: unknown }>['layer']

/** The bars of both periods, one legend for them, and the words across an empty chart. */
function layers(texts: ChartTexts, ticks: AmountTicks, withPrevious: boolean, empty: boolean): Layers {
  const names = withPrevious ? [texts.currentName, texts.previousName] : [texts.currentName]
  const color = {
    scale: { domain: names, range: [CURRENT_COLOR, PREVIOUS_COLOR].slice(0, names.length) },
    legend: { orient: 'top' as const, title: null, symbolType: 'square' },
  }
  const y = (field: string) => ({
    field,
    type: 'quantitative' as const,
    scale: { domain: [0, ticks.top], nice: false },
    axis: { values: [...ticks.values], labelExpr: lookup(ticks.values, ticks.labels), title: null },
  })
  const previous = {
    name: 'previous',
    mark: { type: 'bar' as const },
    encoding: { y: y('previous'), color: { ...color, datum: texts.previousName } },
  }
  const current = {
    name: 'current',
    mark: { type: 'bar' as const, width: { band: 0.6 } },
    encoding: { y: y('current'), color: { ...color, datum: texts.currentName } },
  }
  const words = {
    name: 'empty',
    mark: { type: 'text' as const, fontSize: 14, color: '#6b7280' },
    data: { values: [{}] },
    // Its own data: the bars' x field means nothing to it, so it sits at the plot's centre.
    encoding: {
      x: { value: { expr: 'width / 2' } },
      y: { value: { expr: 'height / 2' } },
      text: { value: texts.emptyText },
    },
  }
  // Drawn in this order: the previous period first, so that it is behind.
  return [...(withPrevious ? [previous] : []), current, ...(empty ? [words] : [])]
}

/** The specification of the chart of `data`, with its texts. */
export function chartSpec(data: ResolvedData, options: ResolvedOptions, texts: ChartTexts): TopLevelSpec {
  const previous =
    data.previous === undefined
      ? undefined
      : alignPrevious(data.period.slots, data.previousSlots, data.previous)
  const rows = data.current.map((current, slot) => ({ slot, current, previous: previous?.[slot] ?? null }))
  const max = Math.max(0, ...data.current, ...(previous ?? []).map((amount) => amount ?? 0))
  const ticks = amountTicks(max, data.digits, options.locale, data.currency)
  const slots = rows.map((row) => row.slot)
  return {
    width: options.width,
    height: options.height,
    autosize: { type: 'fit', contains: 'padding' },
    padding: 12,
    background: '#ffffff',
    title: { text: texts.title, subtitle: texts.subtitle, anchor: 'start', offset: 4 },
    data: { values: rows },
    encoding: {
      x: {
        field: 'slot',
        type: 'ordinal',
        scale: { domain: slots, paddingInner: 0.2, paddingOuter: 0.1 },
        axis: {
          values: [...texts.tickSlots],
          labelExpr: lookup(slots, texts.slotLabels),
          labelAngle: 0,
          title: null,
          ticks: false,
        },
      },
    },
    layer: layers(texts, ticks, previous !== undefined, max === 0),
    config: CONFIG,
  }
}
