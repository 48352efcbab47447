import { planFromPrice } from '../plan.js'
import { idOf, type Json, type RenderSource, record } from './versions.js'

/** The default payment of an invoice (2025-03-31.basil shape), from the store. */
function defaultPayment(invoiceId: unknown, source: RenderSource): Json | undefined {
  return source.list('invoice_payment').find((p) => p.invoice === invoiceId && p.is_default === true)
}

/**
 * Invoice before 2025-03-31.basil: `charge`, `payment_intent`, `paid`, `subscription`... at the top,
 * no `parent`, `payments` or `amount_overpaid`. The payment intent comes from the invoice's default
 * payment once the invoice is finalized; the charge is the payment intent's latest charge once the
 * invoice was attempted (a declined charge included, as Stripe did).
 */
export function invoiceBeforeBasil(invoice: Json, source: RenderSource): void {
  const parent = record(invoice.parent)
  const details = record(parent?.subscription_details)
  const payment = invoice.status === 'draft' ? undefined : defaultPayment(invoice.id, source)
  const paymentIntentId = idOf(record(payment?.payment)?.payment_intent)
  const paymentIntent = paymentIntentId === null ? undefined : source.get('payment_intent', paymentIntentId)
  invoice.charge = invoice.attempted === true ? idOf(paymentIntent?.latest_charge) : null
  invoice.payment_intent = paymentIntentId
  invoice.paid = invoice.status === 'paid'
  invoice.paid_out_of_band = false
  invoice.subscription = details?.subscription ?? null
  invoice.subscription_details = details === undefined ? null : { metadata: details.metadata ?? {} }
  invoice.quote = record(parent?.quote_details)?.quote ?? null
  invoice.application_fee_amount = null
  invoice.transfer_data = null
  invoice.discount = null
  invoice.tax = null
  invoice.total_tax_amounts = []
  for (const field of ['parent', 'payments', 'amount_overpaid', 'total_taxes', 'confirmation_secret']) {
    delete invoice[field]
  }
}

/**
 * Invoice line item before 2025-03-31.basil: `price` (the whole Price), `plan` (for recurring prices),
 * `type`, `subscription`, `subscription_item`, `invoice_item`, `proration`, `tax_amounts`... instead of
 * `parent` and `pricing`.
 */
export function lineBeforeBasil(line: Json, source: RenderSource): void {
  const parent = record(line.parent)
  const item = record(parent?.subscription_item_details)
  const invoiceItem = record(parent?.invoice_item_details)
  const details = item ?? invoiceItem
  const pricing = record(line.pricing)
  const priceId = idOf(record(pricing?.price_details)?.price)
  const stored = priceId === null ? undefined : source.get('price', priceId)
  const price = stored === undefined ? null : structuredClone(stored)
  line.price = price
  line.plan = price !== null && price.recurring !== null ? planFromPrice(price) : null
  line.type = item === undefined ? 'invoiceitem' : 'subscription'
  line.subscription = idOf(details?.subscription) ?? idOf(line.subscription)
  // Not nullable in that era's spec: a line without an invoice item or subscription item omits the field.
  setOrOmit(line, 'subscription_item', item === undefined ? null : idOf(item.subscription_item))
  setOrOmit(line, 'invoice_item', idOf(invoiceItem?.invoice_item ?? item?.invoice_item))
  line.proration = details?.proration ?? false
  line.proration_details = details?.proration_details ?? { credited_items: null }
  line.unit_amount_excluding_tax = pricing?.unit_amount_decimal ?? null
  line.amount_excluding_tax = line.amount
  line.tax_amounts = []
  line.tax_rates = []
  for (const field of ['parent', 'pricing', 'taxes']) delete line[field]
}

function setOrOmit(object: Json, field: string, value: string | null): void {
  if (value === null) delete object[field]
  else object[field] = value
}

/** Invoice before 2024-04-10: `rendering` was `rendering_options`. */
export function invoiceRenderingOptions(invoice: Json): void {
  const rendering = record(invoice.rendering)
  invoice.rendering_options =
    rendering === undefined ? null : { amount_tax_display: rendering.amount_tax_display ?? null }
  delete invoice.rendering
}

/**
 * Subscription before 2025-03-31.basil: the billing period is `current_period_start` / `_end` on the
 * subscription (from its first item), and `discount` is there.
 */
export function subscriptionBeforeBasil(subscription: Json): void {
  const items = record(subscription.items)?.data
  const first = Array.isArray(items) ? record(items[0]) : undefined
  subscription.current_period_start = first?.current_period_start ?? null
  subscription.current_period_end = first?.current_period_end ?? null
  subscription.discount = null
}

/** Subscription item before 2025-03-31.basil: no billing period of its own. */
export function subscriptionItemBeforeBasil(item: Json): void {
  delete item.current_period_start
  delete item.current_period_end
}

/** Price before 2025-03-31.basil: recurring prices have `aggregate_usage` (null unless metered). */
export function priceBeforeBasil(price: Json): void {
  const recurring = record(price.recurring)
  if (recurring !== undefined) recurring.aggregate_usage = null
}

/** Plan before 2025-03-31.basil: `aggregate_usage`, as on recurring prices. */
export function planBeforeBasil(plan: Json): void {
  plan.aggregate_usage = null
}

/** Product before 2024-04-10: `marketing_features` was `features`. */
export function productFeatures(product: Json): void {
  product.features = product.marketing_features ?? []
  delete product.marketing_features
}
