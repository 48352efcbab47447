/** One row of a benchmark table. */
export interface Row {
  figure: string
  cashnotify: string | number
  naive?: string | number
  note?: string
}

/** A ratio with one decimal, or one significant digit below 0.1 (`0.04`). */
function times(ratio: number): string {
  return ratio >= 0.1 ? ratio.toFixed(1) : ratio.toPrecision(1)
}

/**
 * Prints rows as an aligned text table, with the CashNotify/naive ratio where both are numbers, and
 * `notes` under it (what each side did).
 */
export function printTable(title: string, rows: Row[], notes: readonly string[] = []): void {
  const ratio = (row: Row): string =>
    typeof row.cashnotify === 'number' && typeof row.naive === 'number' && row.cashnotify > 0
      ? `${times(row.naive / row.cashnotify)}×`
      : ''
  const cells = rows.map((row) => [
    row.figure,
    String(row.cashnotify),
    row.naive === undefined ? '—' : String(row.naive),
    ratio(row),
    row.note ?? '',
  ])
  const header = ['figure', 'CashNotify', 'naive', 'naive/CashNotify', 'note']
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => (c[i] ?? '').length)))
  const line = (c: string[]): string => `| ${c.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`
  console.log(`\n${title}\n`)
  console.log(line(header))
  console.log(line(widths.map((w) => '-'.repeat(w))))
  for (const c of cells) console.log(line(c))
  if (notes.length > 0) console.log(`\n${notes.map((n) => `- ${n}`).join('\n')}`)
}

/** The p-th percentile (0–100) of some numbers. */
export function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[index] ?? Number.NaN
}

/** Prints a table with its own columns: `header` names them, each row gives a cell per column. */
export function printGrid(
  title: string,
  header: readonly string[],
  rows: readonly string[][],
  notes: string[] = [],
): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (c: readonly string[]): string =>
    `| ${widths.map((w, i) => (c[i] ?? '').padEnd(w)).join(' | ')} |`
  console.log(`\n${title}\n`)
  console.log(line(header))
  console.log(line(widths.map((w) => '-'.repeat(w))))
  for (const r of rows) console.log(line(r))
  if (notes.length > 0) console.log(`\n${notes.map((n) => `- ${n}`).join('\n')}`)
}
