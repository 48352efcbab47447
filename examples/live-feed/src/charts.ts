import {
  type ChartPeriod,
  type ChartSlot,
  chartSlots,
  previousPeriod,
  renderRevenueChartSvg,
} from '@cashnotify/charts'
import type { SaleEvent } from '@cashnotify/core'
import { addDays, ZoneClock } from '@cashnotify/core/notifier'

/** One currency's chart of today, as the page gets it. */
export interface ChartView {
  /** Lower-case ISO 4217 code. */
  readonly currency: string
  /** The SVG document: the page puts it in as is (no script in it, and the CSP allows none). */
  readonly svg: string
  /** What the chart says in words, for screen readers (also the SVG's `<desc>`). */
  readonly description: string
}

/** Today's charts: one per currency sold in today (or yesterday, faint behind), sorted by code. */
export interface ChartsView {
  /** The day they are for, `YYYY-MM-DD` in the feed's time zone. */
  readonly day: string
  readonly charts: readonly ChartView[]
}

/** Options of {@link TodayCharts}. */
export interface TodayChartsOptions {
  /** The time zone whose clock the hours read. */
  readonly timeZone: string
  /** Locale of the amounts and hours. */
  readonly locale: string
  /** Sales within this many ms are drawn once, after the last of them. */
  readonly debounceMs: number
  /** Called with each new rendering. */
  readonly onChange: (view: ChartsView) => void
  /** Called when a chart could not be drawn (the last rendering stays). */
  readonly onError: (error: unknown) => void
}

/** The width and height of each chart, in CSS pixels: the page scales it to its column. */
const WIDTH = 720
const HEIGHT = 260

/**
 * Today's sales per hour and currency, all accounts together, drawn to SVG with `@cashnotify/charts`
 * (no browser, no font needed for SVG). A burst of sales is drawn once, `debounceMs` after the last.
 * When the day changes, the day before stays faint behind the new day's bars.
 */
export class TodayCharts {
  readonly #options: TodayChartsOptions
  /** The feed's zone's clock: where each day starts. */
  readonly #clock: ZoneClock
  #period: ChartPeriod | undefined
  #slots: readonly ChartSlot[] = []
  /** currency -> amount per hour slot of today. */
  readonly #today = new Map<string, number[]>()
  /** currency -> amount per hour slot of the day before, when the server ran through midnight. */
  #yesterday = new Map<string, number[]>()
  #view: ChartsView
  #timer: ReturnType<typeof setTimeout> | undefined
  /** Renderings run one after another, so an older one never overwrites a newer one. */
  #queue: Promise<void> = Promise.resolve()
  #closed = false

  constructor(day: string, options: TodayChartsOptions) {
    this.#options = options
    this.#clock = new ZoneClock(options.timeZone)
    this.#view = { day, charts: [] }
    this.#startDay(day)
  }

  /** The last rendering. */
  view(): ChartsView {
    return this.#view
  }

  /** Adds a sale counted in today's totals (of `day`), and schedules a new rendering. */
  add(sale: Pick<SaleEvent, 'amount' | 'createdAt'>, day: string): void {
    this.rollOver(day)
    const at = sale.createdAt.getTime()
    const slot = this.#slots.findIndex(({ start, end }) => at >= start.getTime() && at < end.getTime())
    if (slot === -1) return
    const currency = sale.amount.currency.toLowerCase()
    const series = this.#today.get(currency) ?? this.#slots.map(() => 0)
    series[slot] = (series[slot] ?? 0) + sale.amount.amount
    this.#today.set(currency, series)
    this.#schedule()
  }

  /** Starts a new day when `day` is not the current one: the day before goes behind, faint. */
  rollOver(day: string): void {
    if (day === this.#view.day) return
    const wasYesterday = addDays(this.#view.day, 1) === day
    this.#yesterday = wasYesterday ? new Map(this.#today) : new Map()
    this.#today.clear()
    this.#view = { day, charts: [] }
    this.#startDay(day)
    this.#schedule()
  }

  /** Stops rendering. */
  close(): void {
    this.#closed = true
    clearTimeout(this.#timer)
  }

  #startDay(day: string): void {
    this.#period = {
      kind: 'day',
      start: new Date(this.#clock.startOfDay(day)),
      timeZone: this.#options.timeZone,
    }
    this.#slots = chartSlots(this.#period)
    // Yesterday's series only fits behind today's when it has yesterday's number of hours.
    const hoursBefore = chartSlots(previousPeriod(this.#period)).length
    for (const [currency, series] of this.#yesterday) {
      if (series.length !== hoursBefore) this.#yesterday.delete(currency)
    }
  }

  #schedule(): void {
    if (this.#closed || this.#timer !== undefined) return
    this.#timer = setTimeout(() => {
      this.#timer = undefined
      this.#queue = this.#queue.then(() => this.#render())
    }, this.#options.debounceMs)
  }

  async #render(): Promise<void> {
    const period = this.#period
    if (this.#closed || !period) return
    const day = this.#view.day
    const currencies = [...new Set([...this.#today.keys(), ...this.#yesterday.keys()])].sort()
    try {
      const charts = await Promise.all(
        currencies.map(async (currency): Promise<ChartView> => {
          const current = this.#today.get(currency) ?? this.#slots.map(() => 0)
          const previous = this.#yesterday.get(currency)
          const chart = await renderRevenueChartSvg(
            { period, currency, current: [...current], ...(previous ? { previous } : {}) },
            { locale: this.#options.locale, width: WIDTH, height: HEIGHT },
          )
          return { currency, svg: chart.svg, description: chart.description }
        }),
      )
      // A day that changed while drawing is drawn again by its own schedule.
      if (this.#closed || day !== this.#view.day) return
      this.#view = { day, charts }
      this.#options.onChange(this.#view)
    } catch (error) {
      this.#options.onError(error)
    }
  }
}
