/**
 * The ready-made text of a digest, for channels that show only text (a desktop notification, a chat
 * line): `Acme Inc · Tue, Nov 3: $1,240.00 from 18 sales`, and a few lines of detail. Amounts are
 * formatted in the instance's locale; dates in the digest's time zone.
 */
import type { MoneyFormats } from '../shared/money.js'
import { printable } from '../shared/printable.js'
import type { Digest, DigestFigures, DigestNotification, DigestPeriod } from './types.js'

/** How digest text is written. */
export interface DigestTextOptions {
  /** Locale of dates. */
  readonly locale: string
  /** Formats amounts (in the instance's locale). */
  readonly formats: MoneyFormats
  /** Leave amounts out (the `privacy: { amounts: true }` option). */
  readonly hideAmounts?: boolean
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`

/** `Tue, Nov 3` for a day, `Nov 2 – 8` for a week. */
export function periodLabel(period: DigestPeriod, locale: string): string {
  const { timeZone } = period
  if (period.kind === 'day') {
    return new Intl.DateTimeFormat(locale, {
      weekday: 'short',
      month: 'short',
      day: 'numeric',
      timeZone,
    }).format(period.start)
  }
  const last = new Date(period.end.getTime() - 1)
  return new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone }).formatRange(
    period.start,
    last,
  )
}

/** The figures a text shows: the total when there is one, else each currency's (largest first). */
function shown(digest: Digest): { current: DigestFigures; previous: DigestFigures }[] {
  return digest.total ? [digest.total] : [...digest.currencies]
}

function title(digest: Digest, options: DigestTextOptions): string {
  const who = digest.scope === 'all' ? 'All accounts' : printable(digest.account?.name ?? 'Account')
  const head = `${digest.livemode ? '' : '[test] '}${who} · ${periodLabel(digest.period, options.locale)}`
  const figures = shown(digest).map((c) => c.current)
  const sales = figures.reduce((n, f) => n + f.sales, 0)
  if (sales === 0) return `${head}: no sales`
  if (options.hideAmounts) return `${head}: ${plural(sales, 'sale')}`
  const amounts = figures.filter((f) => f.gross > 0).map((f) => options.formats.format(f.gross, f.currency))
  const amount = amounts.length > 3 ? `${amounts.slice(0, 3).join(' + ')} + …` : amounts.join(' + ')
  return `${head}: ${amount} from ${plural(sales, 'sale')}`
}

function moneyLine(f: DigestFigures, options: DigestTextOptions): string | undefined {
  if (options.hideAmounts || (f.sales === 0 && f.refunds === 0 && f.disputes === 0)) return undefined
  const money = (amount: number): string => options.formats.format(amount, f.currency)
  const parts = [`Net ${money(f.net)}`, `fees ${money(f.fees)}`]
  if (f.feesUnknown > 0) parts.push(`fee unknown for ${plural(f.feesUnknown, 'sale')}`)
  if (f.refunds > 0) parts.push(`refunds ${money(f.refunds)}`)
  if (f.disputes > 0) parts.push(`disputes ${money(f.disputes)}`)
  return parts.join(' · ')
}

function countsLine(f: DigestFigures, options: DigestTextOptions): string | undefined {
  const parts: string[] = []
  const { customers, subscriptions: subs } = f
  if (customers.total > 0) parts.push(`${plural(customers.total, 'customer')} (${customers.new} new)`)
  if (subs.started > 0 || subs.canceled > 0) {
    const mrr = options.hideAmounts
      ? ''
      : ` · MRR ${subs.mrrChange >= 0 ? '+' : '−'}${options.formats.format(Math.abs(subs.mrrChange), f.currency)}`
    parts.push(`${plural(subs.started, 'subscription')} started, ${subs.canceled} canceled${mrr}`)
  }
  if (f.failedPayments > 0) parts.push(plural(f.failedPayments, 'failed payment'))
  if (f.payouts.count > 0)
    parts.push(
      options.hideAmounts
        ? plural(f.payouts.count, 'payout')
        : `payouts ${options.formats.format(f.payouts.amount, f.currency)}`,
    )
  return parts.length > 0 ? parts.join(' · ') : undefined
}

function comparisonLine(
  digest: Digest,
  c: { current: DigestFigures; previous: DigestFigures },
  options: DigestTextOptions,
): string {
  const label = periodLabel(digest.previousPeriod, options.locale)
  const { current, previous } = c
  if (options.hideAmounts) return `${plural(previous.sales, 'sale')} on ${label}`
  const was = options.formats.format(previous.gross, previous.currency)
  if (previous.gross === 0) return `${label}: ${was}`
  const change = ((current.gross - previous.gross) / previous.gross) * 100
  return `${label}: ${was} (${change >= 0 ? '+' : '−'}${Math.abs(change).toFixed(0)}%)`
}

/** The default title and body of a digest; the body's lines end with `\n`. */
export function digestText(digest: Digest, options: DigestTextOptions): { title: string; body: string } {
  const lines: string[] = []
  const figures = shown(digest)
  for (const c of figures.slice(0, 3)) {
    const money = moneyLine(c.current, options)
    if (money)
      lines.push(
        figures.length > 1 && !digest.total ? `${c.current.currency.toUpperCase()}: ${money}` : money,
      )
  }
  const [main] = figures
  if (main) {
    const counts = countsLine(main.current, options)
    if (counts) lines.push(counts)
    const top = main.current.topProducts[0]
    if (top)
      lines.push(
        `Top: ${printable(top.name)}${options.hideAmounts ? '' : ` (${options.formats.format(top.amount, main.current.currency)})`}`,
      )
    lines.push(`Before, ${comparisonLine(digest, main, options)}`)
  }
  return { title: title(digest, options), body: lines.join('\n') }
}

/**
 * A digest as a notifier gets it: the digest and its text. Account and product names come from outside:
 * they are made printable before they join the text, whose lines end with `\n`.
 */
export function digestNotification(digest: Digest, options: DigestTextOptions): DigestNotification {
  const { title, body } = digestText(digest, options)
  return { id: digest.id, title, body, digest }
}
