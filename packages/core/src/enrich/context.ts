import type Stripe from 'stripe'
import type {
  CustomerInfo,
  DomainEventBase,
  EventAccount,
  ProductLine,
  SubscriptionInfo,
} from './domain-events.js'
import { money } from '../shared/money.js'
import { at, idOf, type Json, obj, str, subscriptionAmount, subscriptionInterval } from './fields.js'
import type { StripeLookups } from './lookups.js'

/** What every builder of a domain event needs: the account and its look-ups. */
export interface EnrichContext {
  /** The account, as events show it. */
  readonly account: EventAccount
  /** The account's cached, budgeted reads. */
  readonly lookups: StripeLookups
  /** Whether the events are backfill. */
  readonly backfill: boolean
}

/** Collects why fields are missing. */
export type Unavailable = Record<string, string>

/** The fields every domain event shares, from the Stripe events it is made of. */
export function baseFields<T extends string>(
  type: T,
  id: string,
  events: readonly Stripe.Event[],
  context: EnrichContext,
  dashboardPath?: string,
): Omit<DomainEventBase<T>, 'unavailable'> {
  const first = events[0]
  const livemode = first?.livemode ?? context.account.mode === 'live'
  return {
    id: `${type}:${id}`,
    type,
    account: context.account,
    livemode,
    createdAt: new Date((first?.created ?? 0) * 1000),
    backfill: context.backfill,
    ...(dashboardPath
      ? { dashboardUrl: `https://dashboard.stripe.com/${livemode ? '' : 'test/'}${dashboardPath}` }
      : {}),
    stripeEvents: events,
  }
}

/**
 * The customer of a payment: the customer object when the key may read it, completed with what the
 * payment itself carries (billing details, Checkout's customer details, the card's country).
 */
export async function resolveCustomer(
  customerId: string | undefined,
  sources: ReadonlyArray<Json | undefined>,
  context: EnrichContext,
  unavailable: Unavailable,
): Promise<CustomerInfo | undefined> {
  let fromStripe: Json | undefined
  if (customerId) {
    const result = await context.lookups.customer(customerId)
    if (result.ok) fromStripe = result.value
    else unavailable.customer = result.reason
  }
  const pick = (read: (source: Json) => unknown): string | undefined => {
    for (const source of [fromStripe, ...sources]) {
      const value = source ? str(read(source)) : undefined
      if (value) return value
    }
    return undefined
  }
  const email = pick(
    (s) =>
      s.email ??
      at(s, 'billing_details', 'email') ??
      at(s, 'customer_details', 'email') ??
      s.customer_email ??
      s.receipt_email,
  )
  const name = pick(
    (s) => s.name ?? at(s, 'billing_details', 'name') ?? at(s, 'customer_details', 'name') ?? s.customer_name,
  )
  const country = pick(
    (s) =>
      at(s, 'address', 'country') ??
      at(s, 'billing_details', 'address', 'country') ??
      at(s, 'customer_details', 'address', 'country') ??
      at(s, 'customer_address', 'country') ??
      at(s, 'payment_method_details', 'card', 'country'),
  )
  if (!customerId && !email && !name && !country) return undefined
  return {
    ...(customerId ? { id: customerId } : {}),
    ...(email ? { email } : {}),
    ...(name ? { name } : {}),
    ...(country ? { country } : {}),
  }
}

/** A subscription as events show it, read when the key may (`rak_subscription_read`). */
export async function resolveSubscription(
  subscriptionId: string | undefined,
  context: EnrichContext,
  unavailable: Unavailable,
): Promise<SubscriptionInfo | undefined> {
  if (!subscriptionId) return undefined
  const result = await context.lookups.subscription(subscriptionId)
  if (!result.ok) {
    unavailable.subscription = result.reason
    return { id: subscriptionId }
  }
  return subscriptionInfo(result.value)
}

/** A {@link SubscriptionInfo} from a subscription object. */
export function subscriptionInfo(subscription: Json): SubscriptionInfo {
  const { interval, count } = subscriptionInterval(subscription)
  const amount = subscriptionAmount(subscription)
  const status = str(subscription.status)
  return {
    id: idOf(subscription.id) ?? '',
    ...(status ? { status } : {}),
    ...(interval ? { interval: interval as NonNullable<SubscriptionInfo['interval']> } : {}),
    ...(count ? { intervalCount: count } : {}),
    ...(amount ? { amount: money(amount.amount, amount.currency) } : {}),
  }
}

/** The object of an event, as JSON. */
export function objectOf(event: Stripe.Event): Json {
  return obj(event.data.object) ?? {}
}

/** What a line (invoice line, Checkout item, subscription item) says of its product. */
export interface LineParts {
  readonly productId: string | undefined
  /** The product's name when the line carries the product expanded. */
  readonly productName: string | undefined
  /** What to show when the product's name cannot be read (the line's own description). */
  readonly fallbackName?: string | undefined
  readonly quantity: number
  readonly amount: number | undefined
  readonly currency: string | undefined
}

/**
 * One {@link ProductLine}: the product's name from the line, else read (`rak_product_read`, cached),
 * else the fallback. A refused read is recorded in `unavailable` when one is given.
 */
export async function productLine(
  parts: LineParts,
  context: EnrichContext,
  unavailable?: Unavailable,
): Promise<ProductLine> {
  const { productId: id, quantity, amount, currency } = parts
  let name = parts.productName
  if (!name && id) {
    const product = await context.lookups.product(id)
    if (product.ok) name = str(product.value.name)
    else if (unavailable) unavailable.productNames = product.reason
  }
  name ??= parts.fallbackName
  return {
    ...(id ? { id } : {}),
    ...(name ? { name } : {}),
    quantity,
    ...(amount !== undefined && currency ? { amount: money(amount, currency) } : {}),
  }
}
