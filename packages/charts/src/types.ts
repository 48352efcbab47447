/** The owner's name in errors: ``[cashnotify] [charts] Expected …``. */
export const NAME = 'charts'

/** How long a chart's period is, and so what one bar is: an hour of a day, or a day of a week. */
export type ChartPeriodKind = 'day' | 'week'

/** The period a chart shows, in the time zone whose clock its labels read. */
export interface ChartPeriod {
  /** `day`: one bar per hour (23 or 25 on a day with a daylight-saving change); `week`: one bar per day. */
  readonly kind: ChartPeriodKind
  /**
   * The instant the period starts, at a whole hour of `timeZone`'s clock (usually local midnight). A day
   * ends at the same clock time on the next calendar day, a week seven calendar days later.
   */
  readonly start: Date
  /** The IANA time zone of the labels and of the calendar, e.g. `Europe/Paris` or `UTC`. */
  readonly timeZone: string
}

/**
 * What a chart shows: plain data, one currency. Amounts are integers in the currency's minor unit, as
 * Stripe writes them (4900 is $49.00, ¥4,900, 4.900 KWD), one per slot of the period in order: fill them
 * from {@link chartSlots} (and {@link previousPeriod} for `previous`).
 */
export interface RevenueChartData {
  /** The period the bars cover. */
  readonly period: ChartPeriod
  /** The ISO 4217 code of every amount, either case: `usd`, `JPY`. One chart per currency. */
  readonly currency: string
  /** The period's sales per slot: `chartSlots(period).length` amounts, each 0 or more. */
  readonly current: readonly number[]
  /**
   * The previous period's sales per slot, drawn faint behind the current bars, matched by clock time (a
   * day's 02:00 bar behind today's 02:00): `chartSlots(previousPeriod(period)).length` amounts. Leave it
   * out when there is no previous period to compare with, e.g. for an account added today.
   */
  readonly previous?: readonly number[]
}

/** How a chart looks. Every field is optional. */
export interface RevenueChartOptions {
  /**
   * The title, e.g. in the reader's language. The subtitle (the totals) and the labels stay as they are.
   * @default 'Sales by hour · <the day>' or 'Sales by day · <the week>'
   */
  readonly title?: string
  /**
   * The BCP 47 locale of the amounts, dates and hours: `en-US` reads `$1,200` and `3 PM`, `fr-FR`
   * `1 200 $US` and `15 h`.
   * @default 'en-US'
   */
  readonly locale?: string
  /** The width of the whole image (title and axes included), in CSS pixels, 240 to 2000. @default 640 */
  readonly width?: number
  /** The height of the whole image (title and axes included), in CSS pixels, 160 to 1200. @default 320 */
  readonly height?: number
}

/** How the PNG is drawn, beyond {@link RevenueChartOptions}. */
export interface PngOptions {
  /**
   * Device pixels per CSS pixel: 2 keeps the image sharp on high-density screens, where email clients
   * show it at its CSS width.
   * @default 2
   */
  readonly scale?: number
  /**
   * The font files (TTF or OTF) the text is drawn with: DejaVu Sans and its bold face. The PNG never uses
   * any other font, so the same input and the same font files give the same bytes.
   * @default the DejaVu Sans files of the system (Debian: the `fonts-dejavu-core` package)
   */
  readonly fontFiles?: readonly string[]
}

/** A chart rendered to SVG, with the texts an `<img>` of it needs. */
export interface RevenueChartSvg {
  /** A standalone SVG document with `<title>` and `<desc>`; its text asks for DejaVu Sans or sans-serif. */
  readonly svg: string
  /** Its width in CSS pixels. */
  readonly width: number
  /** Its height in CSS pixels. */
  readonly height: number
  /** The title, also the SVG's `<title>`. */
  readonly title: string
  /** What the chart says in words, also the SVG's `<desc>`: use it as the `alt` of an `<img>`. */
  readonly description: string
}

/** A chart rendered to SVG and PNG. */
export interface RevenueChart extends RevenueChartSvg {
  /** The PNG, `width × scale` by `height × scale` pixels. */
  readonly png: Uint8Array
}

/** One bar's time span, as {@link chartSlots} lists them. */
export interface ChartSlot {
  /** The first instant the bar counts. */
  readonly start: Date
  /** The first instant after it: an hour later, or the next calendar day in the period's time zone. */
  readonly end: Date
}
