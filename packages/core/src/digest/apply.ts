/** How one domain event changes the record of its day. */
import type {
  DomainEvent,
  ProductLine,
  SaleEvent,
  SaleUpdatedEvent,
  SubscriptionInfo,
} from '../enrich/domain-events.js'
import {
  type CountryTally,
  type CurrencyDay,
  type DayRecord,
  emptyCurrencyDay,
  type ProductTally,
  tally,
} from './day-record.js'

/** What applying an event needs beyond the record: the day's hours and the account's memory. */
export interface ApplyContext {
  /** Hour slots of the record's day. */
  readonly hours: number
  /** The hour slot of an instant of the record's day. */
  slot(ms: number): number
  /** The key a paying customer is known by (a hash), or undefined for an anonymous payment. */
  customerKey(sale: SaleEvent): string | undefined
  /**
   * Whether the event is its customer's first payment ever seen, or its subscription's first
   * cancellation (scheduled, then ended, counts once).
   */
  readonly first: boolean
}

/** Days in a month on average, for normalising daily and weekly prices. */
const DAYS_PER_MONTH = 365.25 / 12

/**
 * What a subscription brings in a month, in minor units: a yearly price over 12, a weekly one times
 * 52/12, each divided by the interval count (every 3 months at 30 is 10 a month). Undefined without a price.
 */
export function monthlyAmount(subscription: SubscriptionInfo | undefined): number | undefined {
  const amount = subscription?.amount?.amount
  if (amount === undefined || !subscription?.interval) return undefined
  const count = Math.max(1, subscription.intervalCount ?? 1)
  const perMonth = {
    day: amount * DAYS_PER_MONTH,
    week: (amount * 52) / 12,
    month: amount,
    year: amount / 12,
  }[subscription.interval]
  return Math.round(perMonth / count)
}

function currencyOf(record: DayRecord, currency: string, hours: number): CurrencyDay {
  const code = currency.toLowerCase()
  let day = record.currencies[code]
  if (!day) {
    day = emptyCurrencyDay(hours)
    record.currencies[code] = day
  }
  return day
}

function addProducts(day: CurrencyDay, products: readonly ProductLine[], saleAmount: number): void {
  for (const line of products) {
    const name = line.name ?? line.id
    if (!name) continue
    // A line without its own amount is the whole sale only when it is the only line.
    const amount = line.amount?.amount ?? (products.length === 1 ? saleAmount : 0)
    const entry = tally<ProductTally>(day.products, line.id ?? `name:${name}`, () => [
      name,
      line.id ?? null,
      0,
      0,
    ])
    if (!entry) continue
    entry[2] += amount
    entry[3] += line.quantity
  }
}

function addSale(record: DayRecord, sale: SaleEvent, ctx: ApplyContext): void {
  const day = currencyOf(record, sale.amount.currency, ctx.hours)
  const amount = sale.amount.amount
  day.gross += amount
  day.sales += 1
  const slot = ctx.slot(sale.createdAt.getTime())
  day.hours[slot] = (day.hours[slot] ?? 0) + amount
  if (sale.fee) day.fees += sale.fee.amount
  else day.feesUnknown += 1
  record.ids[sale.id] = sale.fee ? 1 : 2
  addProducts(day, sale.products, amount)
  const country = sale.customer?.country?.toUpperCase()
  if (country) {
    const entry = tally<CountryTally>(day.countries, country, () => [0, 0])
    if (entry) {
      entry[0] += amount
      entry[1] += 1
    }
  }
  const key = ctx.customerKey(sale)
  if (key !== undefined) {
    day.customers[key] = day.customers[key] === 1 || ctx.first ? 1 : 0
  }
}

/** A completed sale brings the fee that was missing: it moves from `feesUnknown` to `fees`. */
function completeSale(record: DayRecord, update: SaleUpdatedEvent, ctx: ApplyContext): void {
  record.ids[update.id] = 1
  if (record.ids[update.saleId] !== 2 || !update.fee) return
  const day = currencyOf(record, update.amount.currency, ctx.hours)
  day.fees += update.fee.amount
  day.feesUnknown = Math.max(0, day.feesUnknown - 1)
  record.ids[update.saleId] = 1
}

/**
 * Counts an event in the record of its day, once: an id already counted changes nothing. Returns
 * whether the record changed. Events that digests do not show (a trial ending) are only marked counted.
 */
export function applyEvent(record: DayRecord, event: DomainEvent, ctx: ApplyContext): boolean {
  if (record.ids[event.id] !== undefined) return false
  switch (event.type) {
    case 'sale':
      addSale(record, event, ctx)
      return true
    case 'sale.updated':
      completeSale(record, event, ctx)
      return true
    case 'refund':
      currencyOf(record, event.amount.currency, ctx.hours).refunds += event.amount.amount
      break
    case 'dispute.created':
      currencyOf(record, event.amount.currency, ctx.hours).disputes += event.amount.amount
      break
    case 'payment.failed':
      currencyOf(record, event.amount.currency, ctx.hours).failedPayments += 1
      break
    case 'payout.paid': {
      const day = currencyOf(record, event.amount.currency, ctx.hours)
      day.payouts += 1
      day.payoutAmount += event.amount.amount
      break
    }
    case 'subscription.created':
    case 'subscription.canceled': {
      const { subscription } = event
      const currency = subscription.amount?.currency
      if (currency === undefined) break
      if (event.type === 'subscription.canceled' && !ctx.first) break
      const day = currencyOf(record, currency, ctx.hours)
      const monthly = monthlyAmount(subscription) ?? 0
      if (event.type === 'subscription.created') {
        day.started += 1
        day.mrrChange += monthly
      } else {
        day.canceled += 1
        day.mrrChange -= monthly
      }
      break
    }
    default:
      break
  }
  record.ids[event.id] = 1
  return true
}
