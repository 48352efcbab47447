/**
 * What a digest e-mail says, as plain text rows shared by its HTML and text parts: each figure of a
 * currency with the previous period's and the change, the best products and countries, and the period.
 */
import type { Digest, DigestComparison, DigestFigures, DigestPeriod } from '@cashnotify/core/notifier'
import { formatAmount } from '@cashnotify/core/notifier'

/** One figure: this period's value, the previous period's, and the change between them. */
export interface FigureRow {
  readonly label: string
  readonly current: string
  readonly previous: string
  readonly change: string
}

/** One of the best products or countries: its name, what it brought, and the change. */
export interface RankRow {
  readonly name: string
  readonly amount: string
  readonly count: string
  readonly change: string
}

/** Everything one currency (or the converted total) shows. */
export interface CurrencySection {
  /** `USD`, or `All currencies, in USD` for the total. */
  readonly heading: string
  readonly currency: string
  /** The converted total of every currency, not one currency. */
  readonly total: boolean
  readonly figures: readonly FigureRow[]
  readonly products: readonly RankRow[]
  readonly countries: readonly RankRow[]
  /** A note under the figures, e.g. the sales whose fee is unknown. */
  readonly note: string | undefined
}

/** The change column of a best product or country that the previous period's list did not have. */
export const NOT_RANKED = '—'

const percent = (current: number, previous: number): string => {
  if (previous === 0) return current === 0 ? '0%' : 'new'
  const change = Math.round(((current - previous) / previous) * 100)
  return change > 0 ? `+${change}%` : change < 0 ? `−${-change}%` : '0%'
}
const signed = (value: number, format: (n: number) => string = String): string =>
  value > 0 ? `+${format(value)}` : value < 0 ? `−${format(-value)}` : format(0)

/** The sections of a digest: its currencies, largest first, then the converted total when there is one. */
export function digestSections(digest: Digest): CurrencySection[] {
  const sections = digest.currencies.map((comparison) => section(comparison, undefined))
  if (digest.total) {
    const currency = digest.total.current.currency.toUpperCase()
    sections.push(section(digest.total, `All currencies, converted to ${currency}`))
  }
  return sections
}

/** A currency's section, or the total's when it has a `totalHeading`. */
function section({ current, previous }: DigestComparison, totalHeading: string | undefined): CurrencySection {
  const currency = current.currency
  const money = (amount: number): string => formatAmount(amount, currency)
  const amountRow = (label: string, pick: (f: DigestFigures) => number): FigureRow => ({
    label,
    current: money(pick(current)),
    previous: money(pick(previous)),
    change: percent(pick(current), pick(previous)),
  })
  const countRow = (label: string, pick: (f: DigestFigures) => number): FigureRow => ({
    label,
    current: String(pick(current)),
    previous: String(pick(previous)),
    change: signed(pick(current) - pick(previous)),
  })
  const mrr = (f: DigestFigures): string => `${signed(f.subscriptions.mrrChange, money)} / month`
  const figures: FigureRow[] = [
    amountRow('Gross sales', (f) => f.gross),
    amountRow('Refunds', (f) => f.refunds),
    amountRow('Disputes', (f) => f.disputes),
    amountRow('Stripe fees', (f) => f.fees),
    amountRow('Net', (f) => f.net),
    countRow('Sales', (f) => f.sales),
    countRow('Customers', (f) => f.customers.total),
    countRow('New customers', (f) => f.customers.new),
    countRow('Returning customers', (f) => f.customers.returning),
    countRow('Subscriptions started', (f) => f.subscriptions.started),
    countRow('Subscriptions canceled', (f) => f.subscriptions.canceled),
    {
      label: 'MRR change',
      current: mrr(current),
      previous: mrr(previous),
      change: signed(current.subscriptions.mrrChange - previous.subscriptions.mrrChange, money),
    },
    countRow('Failed payments', (f) => f.failedPayments),
    countRow('Payouts', (f) => f.payouts.count),
    amountRow('Paid out', (f) => f.payouts.amount),
  ]
  return {
    heading: totalHeading ?? currency.toUpperCase(),
    currency,
    total: totalHeading !== undefined,
    figures,
    products: products(current, previous, money),
    countries: countries(current, previous, money),
    note: feesNote(current),
  }
}

function products(current: DigestFigures, previous: DigestFigures, money: (n: number) => string): RankRow[] {
  return current.topProducts.map((product) => {
    const before = previous.topProducts.find((p) =>
      product.productId ? p.productId === product.productId : p.name === product.name,
    )
    return {
      name: product.name,
      amount: money(product.amount),
      count: `${product.quantity} sold`,
      change: before ? percent(product.amount, before.amount) : NOT_RANKED,
    }
  })
}

function countries(current: DigestFigures, previous: DigestFigures, money: (n: number) => string): RankRow[] {
  const names = new Intl.DisplayNames('en', { type: 'region', fallback: 'code' })
  return current.topCountries.map((entry) => {
    const before = previous.topCountries.find((c) => c.country === entry.country)
    let name = entry.country
    try {
      name = `${names.of(entry.country) ?? entry.country} (${entry.country})`
    } catch {
      // Not a region code Intl knows: the code as it came.
    }
    return {
      name,
      amount: money(entry.amount),
      count: `${entry.sales} ${entry.sales === 1 ? 'sale' : 'sales'}`,
      change: before ? percent(entry.amount, before.amount) : NOT_RANKED,
    }
  })
}

function feesNote(current: DigestFigures): string | undefined {
  if (current.feesUnknown === 0) return undefined
  const sales = current.feesUnknown === 1 ? '1 sale' : `${current.feesUnknown} sales`
  return `The fees of ${sales} are not known (no access to balance transactions): fees and net leave them out.`
}

/** `Tuesday, November 3, 2026` for a day, `Mon, Nov 2 – Sun, Nov 8, 2026` for a week, on the period's clock. */
export function periodLabel(period: DigestPeriod): string {
  const { timeZone } = period
  if (period.kind === 'day') {
    return new Intl.DateTimeFormat('en-US', { dateStyle: 'full', timeZone }).format(period.start)
  }
  const last = new Date(period.end.getTime() - 1)
  const format = new Intl.DateTimeFormat('en-US', {
    weekday: 'short',
    month: 'short',
    day: 'numeric',
    year: 'numeric',
    timeZone,
  })
  return format.formatRange(period.start, last)
}

/** The line under the title: the period, its time zone, and what it is compared with. */
export function periodLine(digest: Digest): string {
  const what = digest.period.kind === 'day' ? 'the day before' : 'the week before'
  return `${periodLabel(digest.period)} (${digest.period.timeZone} time), compared with ${what}: ${periodLabel(digest.previousPeriod)}.`
}

/** Whose figures these are: the account, or the accounts of an all-accounts digest. */
export function accountsLine(digest: Digest): string {
  if (digest.scope === 'account' && digest.account) return digest.account.name
  const names = digest.accounts.map((account) => account.name)
  const count = names.length === 1 ? '1 account' : `${names.length} accounts`
  return names.length <= 5 ? `${count}: ${names.join(', ')}` : `${count}: ${names.slice(0, 5).join(', ')}, …`
}

/** What an empty period's e-mail says instead of figures. */
export function emptyLine(digest: Digest): string {
  const what = digest.period.kind === 'day' ? 'day' : 'week'
  return `No sales, refunds, subscriptions or payouts this ${what}.`
}

/** Why only some currencies have a chart. */
export function chartsNote(charted: number, total: number): string | undefined {
  if (total <= charted) return undefined
  return `Charts are shown for the ${charted} currencies with the most sales; the other ${total - charted} have their figures only, to keep this e-mail small.`
}
