/**
 * The HTML and plain-text parts of a digest e-mail: the period, then per currency its chart and its
 * figures next to the previous period's. Every value is escaped: account and product names are user input.
 */
import type { DigestNotification } from '@cashnotify/core/notifier'
import type { DigestChart } from './digest-charts.js'
import {
  accountsLine,
  type CurrencySection,
  digestSections,
  emptyLine,
  type FigureRow,
  NOT_RANKED,
  periodLine,
  type RankRow,
} from './digest-figures.js'
import { escapeHtml } from './render-html.js'
import { oneLine } from './render-text.js'

/** What the parts show besides the digest: its title, its charts and the notes about them. */
export interface DigestView {
  readonly title: string
  readonly charts: readonly DigestChart[]
  readonly notes: readonly string[]
}

const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"
const MUTED = 'color:#697386'
const CELL = 'padding:4px 8px;text-align:right;white-space:nowrap'
const LABEL = `padding:4px 8px 4px 0;text-align:left;font-weight:normal;${MUTED}`
const BADGE =
  ' <span style="background:#ffde92;color:#983705;border-radius:4px;padding:1px 6px;font-size:12px;font-weight:600">Test mode</span>'

/** The HTML part. */
export function renderDigestHtml(notification: DigestNotification, view: DigestView): string {
  const { digest } = notification
  const parts: string[] = [
    `<p style="margin:0;font-size:14px;${MUTED}">${escapeHtml(accountsLine(digest))}${digest.livemode ? '' : BADGE}</p>`,
    `<h1 style="margin:8px 0 4px;font-size:22px">${escapeHtml(view.title)}</h1>`,
    `<p style="margin:0 0 16px;font-size:14px;${MUTED}">${escapeHtml(periodLine(digest))}</p>`,
  ]
  if (digest.empty)
    parts.push(`<p style="margin:0 0 16px;font-size:16px">${escapeHtml(emptyLine(digest))}</p>`)
  for (const section of digestSections(digest)) {
    const chart = section.total
      ? undefined
      : view.charts.find((c) => c.currency === section.currency.toLowerCase())
    parts.push(htmlSection(section, chart))
  }
  for (const note of view.notes)
    parts.push(`<p style="margin:8px 0 0;font-size:12px;${MUTED}">${escapeHtml(note)}</p>`)
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(view.title)}</title></head>
<body style="margin:0;padding:24px;background:#f6f8fa;${FONT};color:#1a1f36">
<div style="max-width:600px;margin:0 auto">
<div style="background:#ffffff;border:1px solid #e3e8ee;border-radius:8px;padding:20px">
${parts.join('\n')}
</div>
<p style="margin:16px 0 0;font-size:12px;${MUTED}">Sent by CashNotify (digest ${escapeHtml(notification.id)}).</p>
</div>
</body>
</html>
`
}

function htmlSection(section: CurrencySection, chart: DigestChart | undefined): string {
  const parts = [`<h2 style="margin:20px 0 8px;font-size:18px">${escapeHtml(section.heading)}</h2>`]
  if (chart) {
    parts.push(
      `<img src="cid:${escapeHtml(chart.cid)}" alt="${escapeHtml(chart.alt)}" width="${chart.width}" height="${chart.height}" style="display:block;max-width:100%;height:auto;margin:0 0 12px">`,
    )
  }
  const head = ['', 'This period', 'Before', 'Change']
    .map((text, i) => `<th scope="col" style="${i === 0 ? LABEL : CELL};font-weight:600">${text}</th>`)
    .join('')
  const rows = section.figures.map((row) => htmlRow(row)).join('')
  parts.push(tableHtml(`<tr>${head}</tr>${rows}`))
  if (section.note)
    parts.push(`<p style="margin:4px 0 0;font-size:12px;${MUTED}">${escapeHtml(section.note)}</p>`)
  parts.push(...rankHtml('Top products', section.products), ...rankHtml('Top countries', section.countries))
  return parts.join('\n')
}

function htmlRow({ label, current, previous, change }: FigureRow): string {
  return `<tr><th scope="row" style="${LABEL}">${escapeHtml(label)}</th><td style="${CELL};font-weight:600">${escapeHtml(current)}</td><td style="${CELL};${MUTED}">${escapeHtml(previous)}</td><td style="${CELL}">${escapeHtml(change)}</td></tr>`
}

function rankHtml(heading: string, rows: readonly RankRow[]): string[] {
  if (rows.length === 0) return []
  const body = rows
    .map(
      (row) =>
        `<tr><th scope="row" style="${LABEL};color:#1a1f36">${escapeHtml(row.name)}</th><td style="${CELL};font-weight:600">${escapeHtml(row.amount)}</td><td style="${CELL};${MUTED}">${escapeHtml(row.count)}</td><td style="${CELL}">${escapeHtml(row.change)}</td></tr>`,
    )
    .join('')
  return [
    `<h3 style="margin:12px 0 4px;font-size:14px">${escapeHtml(heading)}</h3>`,
    tableHtml(body),
    rankNote(rows, 'html'),
  ]
}

function tableHtml(rows: string): string {
  return `<table cellpadding="0" cellspacing="0" style="border-collapse:collapse;font-size:14px;width:100%">${rows}</table>`
}

function rankNote(rows: readonly RankRow[], as: 'html' | 'text'): string {
  if (!rows.some((row) => row.change === NOT_RANKED)) return ''
  const note = `${NOT_RANKED} not in the previous period's list.`
  return as === 'html' ? `<p style="margin:2px 0 0;font-size:12px;${MUTED}">${escapeHtml(note)}</p>` : note
}

/** The plain-text part: the same figures in aligned columns. */
export function renderDigestText(notification: DigestNotification, view: DigestView): string {
  const { digest } = notification
  const title = oneLine(view.title)
  const lines: string[] = []
  if (!digest.livemode) lines.push('[Test mode]')
  lines.push(title, '='.repeat(Math.min(title.length, 72)), oneLine(accountsLine(digest)), periodLine(digest))
  if (digest.empty) lines.push('', emptyLine(digest))
  for (const section of digestSections(digest)) lines.push('', ...textSection(section))
  if (view.notes.length > 0) lines.push('', ...view.notes)
  lines.push('', `-- \nSent by CashNotify (digest ${oneLine(notification.id)}).`)
  return `${lines.join('\n')}\n`
}

function textSection(section: CurrencySection): string[] {
  const lines = [section.heading, '-'.repeat(section.heading.length)]
  const table: string[][] = [
    ['', 'This period', 'Before', 'Change'],
    ...section.figures.map((row) => [row.label, row.current, row.previous, row.change]),
  ]
  lines.push(...columns(table))
  if (section.note) lines.push(section.note)
  for (const [heading, rows] of [
    ['Top products', section.products],
    ['Top countries', section.countries],
  ] as const) {
    if (rows.length === 0) continue
    lines.push(
      '',
      `${heading}:`,
      ...columns(rows.map((row) => [oneLine(row.name), row.amount, row.count, row.change])),
    )
    const note = rankNote(rows, 'text')
    if (note) lines.push(note)
  }
  return lines
}

/** Rows as columns: the first left-aligned, the others right-aligned, two spaces apart. */
function columns(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length))) ?? []
  return rows.map((row) =>
    row
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  )
}
