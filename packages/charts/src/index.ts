export { renderRevenueChart, renderRevenueChartSvg } from './chart.js'
export { chartSlots, previousPeriod } from './period.js'
export type {
  ChartPeriod,
  ChartPeriodKind,
  ChartSlot,
  PngOptions,
  RevenueChart,
  RevenueChartData,
  RevenueChartOptions,
  RevenueChartSvg,
} from './types.js'
