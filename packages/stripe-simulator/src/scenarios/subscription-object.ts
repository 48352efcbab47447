import type Stripe from 'stripe'
import { subscriptionFixture } from '../fixtures/subscription.js'
import { planFromPrice } from '../plan.js'
import type { Wire } from '../wire.js'
import type { Scene } from './context.js'
import { formatMoney } from './money.js'

type Subscription = Wire<Stripe.Subscription>
type Item = Wire<Stripe.SubscriptionItem>

/** `at` plus `count` intervals, on the calendar (Jan 31 + 1 month is Feb 28/29, as Stripe bills). */
export function addInterval(at: number, interval: Stripe.Price.Recurring.Interval, count: number): number {
  if (interval === 'day') return at + count * 86_400
  if (interval === 'week') return at + count * 7 * 86_400
  const date = new Date(at * 1000)
  const months = interval === 'month' ? count : 12 * count
  const target = new Date(date)
  target.setUTCDate(1)
  target.setUTCMonth(date.getUTCMonth() + months)
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate()
  target.setUTCDate(Math.min(date.getUTCDate(), lastDay))
  return Math.floor(target.getTime() / 1000)
}

/** The end of a billing period that starts at `start`. */
export function periodEnd(price: Wire<Stripe.Price>, start: number): number {
  const recurring = price.recurring
  if (recurring === null) throw new TypeError(`[stripe-simulator] Price ${price.id} is not recurring.`)
  return addInterval(start, recurring.interval, recurring.interval_count)
}

/** A subscription line's description, as Stripe writes it: `1 × Pro plan (at $49.00 / month)`. */
export function lineDescription(
  product: Wire<Stripe.Product>,
  price: Wire<Stripe.Price>,
  quantity: number,
): string {
  const recurring = price.recurring
  const every =
    recurring === null || recurring.interval_count === 1
      ? (recurring?.interval ?? 'once')
      : `every ${recurring.interval_count} ${recurring.interval}s`
  return `${quantity} × ${product.name} (at ${formatMoney(price.unit_amount ?? 0, price.currency)} / ${every})`
}

/** What a new subscription is made of. */
export interface SubscriptionSpec {
  readonly customer: string
  readonly price: Wire<Stripe.Price>
  readonly quantity: number
  readonly at: number
  /** End of the trial, when there is one. */
  readonly trialEnd?: number
  readonly paymentMethod: string | null
}

/** A new subscription with one item, active (or trialing), its first period starting at `at`. */
export function buildSubscription(scene: Scene, spec: SubscriptionSpec): Subscription {
  const id = scene.id('sub')
  const end = spec.trialEnd ?? periodEnd(spec.price, spec.at)
  const template = subscriptionFixture.items.data[0] as Item
  const item: Item = {
    ...structuredClone(template),
    id: scene.id('si'),
    created: spec.at,
    current_period_end: end,
    current_period_start: spec.at,
    metadata: {},
    plan: planFromPrice(spec.price),
    price: structuredClone(spec.price),
    quantity: spec.quantity,
    subscription: id,
  }
  return {
    ...structuredClone(subscriptionFixture),
    id,
    billing_cycle_anchor: end === spec.trialEnd ? end : spec.at,
    created: spec.at,
    currency: spec.price.currency,
    customer: spec.customer,
    default_payment_method: spec.paymentMethod,
    items: {
      object: 'list',
      data: [item],
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: null,
    livemode: scene.livemode,
    managed_payments: { enabled: false },
    start_date: spec.at,
    status: spec.trialEnd === undefined ? 'active' : 'trialing',
    trial_end: spec.trialEnd ?? null,
    trial_start: spec.trialEnd === undefined ? null : spec.at,
  }
}

/** The subscription's (first) item. */
export function itemOf(subscription: Subscription): Item {
  const item = subscription.items.data[0]
  if (item === undefined) throw new Error(`[stripe-simulator] Subscription ${subscription.id} has no items.`)
  return item
}

/** The subscription moved to its next period [start, end). */
export function withPeriod(subscription: Subscription, start: number, end: number): Subscription {
  const item = itemOf(subscription)
  return {
    ...subscription,
    items: {
      ...subscription.items,
      data: [
        { ...item, current_period_start: start, current_period_end: end },
        ...subscription.items.data.slice(1),
      ],
    },
  }
}
