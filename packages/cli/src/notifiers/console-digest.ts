/**
 * How the console notifier shows a digest: a few lines a person reads at a glance (per currency: gross,
 * net, sales, the top product, the change against the previous period), or one JSON line for a log
 * collector with the same figures in minor units.
 */
import {
  type DigestComparison,
  type DigestNotification,
  digestPeriodLabel,
  formatAmount,
  printable,
} from '@cashnotify/core'
import { clock, type Paint } from '../log/console-logger.js'

/** Continuation lines line up under the title: `14:03:27 ` is nine characters wide. */
const INDENT = ' '.repeat(9)

/** The symbol of a digest line, next to the notifications' own. */
export const DIGEST_SYMBOL = '📊'

/** `+37%`, `−12%`; nothing to compare with when the previous period sold nothing. */
function change(current: number, previous: number): string {
  if (previous === 0) return current === 0 ? 'the same' : 'up from nothing'
  const percent = Math.round((100 * (current - previous)) / previous)
  return percent === 0 ? '±0%' : percent > 0 ? `+${percent}%` : `−${-percent}%`
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`

/** The lines of one currency: its figures, its best seller, and how it compares. */
function currencyLines(
  { current, previous }: DigestComparison,
  before: string,
  locale: string,
  paint: Paint,
): string[] {
  const money = (amount: number): string => formatAmount(amount, current.currency, locale)
  const code = current.currency.toUpperCase()
  const fees =
    current.feesUnknown > 0
      ? ` (${current.feesUnknown} fee${current.feesUnknown === 1 ? '' : 's'} unknown)`
      : ''
  const lines = [
    `${INDENT}${paint('bold', code)}  gross ${paint('green', money(current.gross))} · net ${money(current.net)}${fees} · ${plural(current.sales, 'sale')}`,
  ]
  const pad = ' '.repeat(code.length + 2)
  const [top] = current.topProducts
  const extras = [
    top ? `top ${printable(top.name)} (${money(top.amount)})` : undefined,
    current.refunds > 0 ? `refunds ${money(current.refunds)}` : undefined,
    current.customers.total > 0
      ? `${plural(current.customers.total, 'customer')} (${current.customers.new} new)`
      : undefined,
  ].filter((part) => part !== undefined)
  if (extras.length > 0) lines.push(`${INDENT}${pad}${extras.join(' · ')}`)
  lines.push(
    `${INDENT}${pad}${paint('dim', `vs ${before}: ${money(previous.gross)} from ${plural(previous.sales, 'sale')} (${change(current.gross, previous.gross)})`)}`,
  )
  return lines
}

/**
 * The digest for a person: the title on the clock's line, then each currency's figures; its text
 * comes from outside (product and account names), so it is made printable before painting.
 */
export function digestTextLines(
  notification: DigestNotification,
  at: number,
  options: { readonly locale: string; readonly paint: Paint },
): string[] {
  const { digest } = notification
  const { paint, locale } = options
  const head = `${paint('dim', clock(at))} ${DIGEST_SYMBOL} ${paint('bold', printable(notification.title))}`
  if (digest.currencies.length === 0)
    return [head, `${INDENT}${paint('dim', 'no sales, nothing else either')}`]
  const before = digestPeriodLabel(digest.previousPeriod, locale)
  return [
    head,
    ...digest.currencies.flatMap((comparison) => currencyLines(comparison, before, locale, paint)),
  ]
}

/** The digest for a log collector: one JSON line, amounts in minor units as everywhere in CashNotify. */
export function digestJsonLine(notification: DigestNotification, at: number, notifier: string): string {
  const { digest } = notification
  return JSON.stringify({
    level: 'info',
    time: new Date(at).toISOString(),
    msg: notification.title,
    notifier,
    id: notification.id,
    type: 'digest',
    schedule: digest.schedule,
    scope: digest.scope,
    ...(digest.account
      ? { account: `${digest.account.id}/${digest.account.mode}`, accountName: digest.account.name }
      : {}),
    livemode: digest.livemode,
    period: { start: digest.period.start.toISOString(), end: digest.period.end.toISOString() },
    timeZone: digest.period.timeZone,
    currencies: digest.currencies.map(({ current, previous }) => ({
      currency: current.currency,
      gross: current.gross,
      net: current.net,
      fees: current.fees,
      refunds: current.refunds,
      sales: current.sales,
      customers: current.customers.total,
      ...(current.topProducts[0] ? { topProduct: current.topProducts[0].name } : {}),
      previous: { gross: previous.gross, net: previous.net, sales: previous.sales },
    })),
  })
}
