/**
 * The charts of a digest e-mail: one PNG per currency (the largest three), attached inline and shown
 * by `cid:`. PNG and not SVG: most mail clients (Gmail, Outlook) do not show SVG images.
 */
import type { ChartPeriod } from '@cashnotify/charts'
import type { Digest, DigestComparison } from '@cashnotify/core/notifier'
import type { SendMailOptions } from 'nodemailer'

type Attachment = NonNullable<SendMailOptions['attachments']>[number]

/**
 * Charts per e-mail at most: each PNG is about 40 KB, and a long message with many images is clipped
 * or slow to open in some clients; the other currencies keep their figures.
 */
export const MAX_CHARTS = 3
/** The chart's size in CSS pixels: the e-mail's content width. The PNG has twice as many pixels. */
export const CHART_WIDTH = 560
export const CHART_HEIGHT = 280

/** How the charts are drawn: `fontFiles` for the PNG's DejaVu Sans where the system has none. */
export interface ResolvedChartOptions {
  readonly fontFiles: readonly string[] | undefined
}

/** One currency's chart, ready for an `<img src="cid:…">`. */
export interface DigestChart {
  readonly currency: string
  readonly cid: string
  readonly alt: string
  readonly width: number
  readonly height: number
  readonly attachment: Attachment
}

/** The charts made, and why some could not be (shown in the e-mail for the reader, who runs the server). */
export interface DigestCharts {
  readonly charts: readonly DigestChart[]
  readonly problem: string | undefined
}

/**
 * The charts of the first {@link MAX_CHARTS} currencies (the digest lists the largest gross first).
 * A chart that cannot be drawn (no font on this server, a series of the wrong length) is left out and
 * said so: the figures matter more than the picture, so the digest is still sent.
 */
export async function digestCharts(
  digest: Digest,
  options: ResolvedChartOptions,
  cidOf: (name: string) => string,
): Promise<DigestCharts> {
  const charts: DigestChart[] = []
  let problem: string | undefined
  const shown = digest.currencies.slice(0, MAX_CHARTS)
  // Loaded at the first digest: Vega and resvg take most of a second to load, which an app that sends
  // no digest should not pay at start-up.
  const library = shown.length > 0 ? await import('@cashnotify/charts') : undefined
  for (const comparison of shown) {
    try {
      if (library) charts.push(await chart(library, digest, comparison, options, cidOf))
    } catch (error) {
      problem ??=
        error instanceof Error ? error.message.replace(/^\[cashnotify\] \[charts\] /, '') : String(error)
    }
  }
  return { charts, problem }
}

type Charts = typeof import('@cashnotify/charts')

async function chart(
  { chartSlots, previousPeriod, renderRevenueChart }: Charts,
  digest: Digest,
  { current, previous }: DigestComparison,
  options: ResolvedChartOptions,
  cidOf: (name: string) => string,
): Promise<DigestChart> {
  const period: ChartPeriod = {
    kind: digest.period.kind,
    start: digest.period.start,
    timeZone: digest.period.timeZone,
  }
  // The previous bars only when they are the period before's slots (not when nothing was kept).
  const before =
    previous.series.length === chartSlots(previousPeriod(period)).length ? previous.series : undefined
  const rendered = await renderRevenueChart(
    { period, currency: current.currency, current: current.series, ...(before ? { previous: before } : {}) },
    {
      width: CHART_WIDTH,
      height: CHART_HEIGHT,
      ...(options.fontFiles ? { png: { fontFiles: options.fontFiles } } : {}),
    },
  )
  const code = current.currency.toLowerCase()
  const cid = cidOf(`chart:${code}:${digest.id}`)
  const { png } = rendered
  return {
    currency: code,
    cid,
    alt: rendered.description,
    width: rendered.width,
    height: rendered.height,
    attachment: {
      filename: `sales-${code}.png`,
      content: Buffer.from(png.buffer, png.byteOffset, png.byteLength),
      contentType: 'image/png',
      contentDisposition: 'inline',
      cid,
    },
  }
}
