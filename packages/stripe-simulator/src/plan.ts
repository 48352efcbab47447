import type Stripe from 'stripe'
import type { Json } from './render/versions.js'
import type { Wire } from './wire.js'

/**
 * The `plan` Stripe shows next to a recurring price (on subscription items, and on invoice line items
 * before 2025-03-31.basil): the legacy Plan view of the same price, with the same id.
 */
export function planFromPrice(price: Wire<Stripe.Price> | Json): Wire<Stripe.Plan> {
  const p = price as Wire<Stripe.Price>
  const recurring = p.recurring
  if (recurring === null) throw new TypeError(`[stripe-simulator] Price ${p.id} is not recurring.`)
  return {
    id: p.id,
    object: 'plan',
    active: p.active,
    amount: p.unit_amount,
    amount_decimal: p.unit_amount_decimal,
    billing_scheme: p.billing_scheme,
    created: p.created,
    currency: p.currency,
    interval: recurring.interval,
    interval_count: recurring.interval_count,
    livemode: p.livemode,
    metadata: p.metadata,
    meter: recurring.meter,
    nickname: p.nickname,
    product: typeof p.product === 'string' ? p.product : p.product.id,
    tiers_mode: p.tiers_mode,
    transform_usage: null,
    trial_period_days: recurring.trial_period_days,
    usage_type: recurring.usage_type,
  }
}
