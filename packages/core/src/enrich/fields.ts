/**
 * Reading Stripe objects whatever API version rendered them. An event's `data.object` is rendered at
 * the version the event was created with, so the same field may be an id or an expanded object, and
 * may sit where 2020 put it or where 2025 moved it. Everything here returns `undefined` rather than throw.
 */

/** A Stripe object as JSON. */
export type Json = Readonly<Record<string, unknown>>

/** `value` as an object, or undefined. */
export function obj(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined
}

/** A string field, or undefined (also for empty strings). */
export function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined
}

/** A finite number field, or undefined. */
export function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined
}

/** The id a field holds, whether it is an id or an expanded object. */
export function idOf(value: unknown): string | undefined {
  return str(value) ?? str(obj(value)?.id)
}

/** The items of an embedded list (`{ object: 'list', data }`), or of an array. */
export function items(value: unknown): Json[] {
  const data = Array.isArray(value) ? value : obj(value)?.data
  return Array.isArray(data) ? data.map(obj).filter((item): item is Json => item !== undefined) : []
}

/** Follows a path of fields: `at(invoice, 'parent', 'subscription_details', 'subscription')`. */
export function at(value: unknown, ...path: string[]): unknown {
  let current: unknown = value
  for (const key of path) current = obj(current)?.[key]
  return current
}

/** The subscription an invoice belongs to: `invoice.subscription` before 2025-03-31, `parent.subscription_details` after. */
export function invoiceSubscriptionId(invoice: Json): string | undefined {
  return idOf(invoice.subscription) ?? idOf(at(invoice, 'parent', 'subscription_details', 'subscription'))
}

/** The payment intent of an invoice, where the version still shows it (`invoice.payment_intent`, or `payments`). */
export function invoicePaymentIntentId(invoice: Json): string | undefined {
  const direct = idOf(invoice.payment_intent)
  if (direct) return direct
  for (const payment of items(invoice.payments)) {
    const id = idOf(at(payment, 'payment', 'payment_intent'))
    if (id) return id
  }
  return undefined
}

/** The charge of an invoice, where the version still shows it (`invoice.charge`, or `payments`). */
export function invoiceChargeId(invoice: Json): string | undefined {
  const direct = idOf(invoice.charge)
  if (direct) return direct
  for (const payment of items(invoice.payments)) {
    const id = idOf(at(payment, 'payment', 'charge'))
    if (id) return id
  }
  return undefined
}

/** A line's product: `line.price.product` / `line.plan.product` before 2025-03-31, `line.pricing.price_details.product` after. */
export function lineProductId(line: Json): string | undefined {
  return (
    idOf(at(line, 'pricing', 'price_details', 'product')) ??
    idOf(at(line, 'price', 'product')) ??
    idOf(at(line, 'plan', 'product'))
  )
}

/** A line's product when the line carries it expanded. */
export function lineProduct(line: Json): Json | undefined {
  return (
    obj(at(line, 'pricing', 'price_details', 'product')) ??
    obj(at(line, 'price', 'product')) ??
    obj(at(line, 'plan', 'product'))
  )
}

/** A subscription's billing interval, from its first item's price (or plan, on old versions). */
export function subscriptionInterval(subscription: Json): { interval?: string; count?: number } {
  const item = items(subscription.items)[0]
  const recurring = obj(at(item, 'price', 'recurring')) ?? obj(at(item, 'plan')) ?? obj(subscription.plan)
  const interval = str(recurring?.interval)
  const count = num(recurring?.interval_count)
  return { ...(interval ? { interval } : {}), ...(count ? { count } : {}) }
}

/** What one period of a subscription costs: the sum of its items' unit amounts times quantities. */
export function subscriptionAmount(subscription: Json): { amount: number; currency: string } | undefined {
  let amount = 0
  let currency = str(subscription.currency)
  for (const item of items(subscription.items)) {
    const price = obj(item.price) ?? obj(item.plan)
    const unit = num(price?.unit_amount) ?? num(price?.amount)
    if (unit === undefined) return undefined
    amount += unit * (num(item.quantity) ?? 1)
    currency ??= str(price?.currency)
  }
  return currency && amount > 0 ? { amount, currency } : undefined
}

/** Seconds since epoch of 1970-01-01 and 2200-01-01: a Stripe date outside them is no date. */
const PLAUSIBLE_SECONDS = { from: 0, to: 7_258_118_400 } as const

/** A date field (unix seconds) as a `Date`, or undefined when it is absent or no plausible date. */
export function dateOf(value: unknown): Date | undefined {
  const seconds = num(value)
  if (seconds === undefined || seconds <= PLAUSIBLE_SECONDS.from || seconds >= PLAUSIBLE_SECONDS.to)
    return undefined
  return new Date(seconds * 1000)
}

/**
 * A date field that may be missing: a value that is there but no plausible date is noted in
 * `unavailable` (a field is present and true, or absent and explained).
 */
export function noteDate(
  value: unknown,
  field: string,
  unavailable: Record<string, string>,
): Date | undefined {
  const date = dateOf(value)
  if (!date && value !== undefined && value !== null)
    unavailable[field] = `Stripe sent no plausible date (${String(value)})`
  return date
}
