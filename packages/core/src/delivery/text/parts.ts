/** The pieces every notification text is made of; a missing field simply does not appear. */
import type { CustomerInfo, DomainEvent, ProductLine, SubscriptionInfo } from '../../enrich/domain-events.js'
import type { Money } from '../../shared/money.js'

/** What a notification says: a title and a body (which may be empty). */
export interface NotificationText {
  /** One short line, e.g. `$49.00 sale · Acme Inc`. */
  readonly title: string
  /** Detail, parts separated by ` · `, e.g. `jane@example.com (US) · Pro plan · fee $1.72`. */
  readonly body: string
}

/** What the text of one notification may show, and how it writes dates. */
export interface TextContext {
  readonly hideCustomer: boolean
  readonly hideAmounts: boolean
  /** A date for a person; `calendarDate` for Stripe's dates that are days, not moments. */
  readonly date: (value: Date | undefined, calendarDate?: boolean) => string | undefined
}

const SEP = ' · '

/** Joins the parts that exist: a missing field simply does not appear (never `undefined`). */
export function join(parts: ReadonlyArray<string | undefined | false>): string {
  return parts.filter((part): part is string => typeof part === 'string' && part.length > 0).join(SEP)
}

/** `requested_by_customer` → `requested by customer`; free text is left alone. */
export function humanize(code: string | undefined): string | undefined {
  if (!code) return undefined
  return /^[a-z0-9_]+$/.test(code) ? code.replaceAll('_', ' ') : code
}

/** The text with its first letter in capitals. */
export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1)
}

/** The customer first when shown; else the body starts with a capital, as a sentence does. */
export function withCustomer(
  customer: string | undefined,
  parts: ReadonlyArray<string | undefined | false>,
): string {
  return customer ? join([customer, ...parts]) : capitalize(join(parts))
}

/** `jane@example.com (US)`, or `customer from US`; nothing when private. */
export function customerText(customer: CustomerInfo | undefined, ctx: TextContext): string | undefined {
  if (!customer || ctx.hideCustomer) return undefined
  const who = customer.email ?? customer.name
  if (who) return customer.country ? `${who} (${customer.country})` : who
  return customer.country ? `customer from ${customer.country}` : undefined
}

/** `2 × T-shirt, Pro plan +1 more`: named products only. */
export function productsText(products: readonly ProductLine[]): string | undefined {
  const named = products.filter((line) => line.name)
  if (named.length === 0) return undefined
  const shown = named
    .slice(0, 2)
    .map((line) => (line.quantity > 1 ? `${line.quantity} × ${line.name}` : line.name))
  const more = named.length - shown.length
  return more > 0 ? `${shown.join(', ')} +${more} more` : shown.join(', ')
}

/** The formatted amount, unless amounts are private. */
export function moneyText(amount: Money | undefined, ctx: TextContext): string | undefined {
  return amount && !ctx.hideAmounts ? amount.formatted : undefined
}

/** `$49.00/month`, `$99.00 every 3 months`, or just the amount when the interval is unknown. */
export function priceText(subscription: SubscriptionInfo | undefined, ctx: TextContext): string | undefined {
  const amount = moneyText(subscription?.amount, ctx)
  if (!amount || !subscription?.interval) return amount
  const count = subscription.intervalCount ?? 1
  return count > 1
    ? `${amount} every ${count} ${subscription.interval}s`
    : `${amount}/${subscription.interval}`
}

/** `[test] $49.00 sale · Acme Inc`; without an amount, `[test] Sale · Acme Inc`. */
export function title(event: DomainEvent, label: string, amount: string | undefined): string {
  const lead = amount ? `${amount} ${label}` : capitalize(label)
  return `${event.livemode ? '' : '[test] '}${lead}${SEP}${event.account.name}`
}
