import type Stripe from 'stripe'
import { baseFields } from './base-fields.js'
import { type EnrichContext, objectOf, type Unavailable } from './context.js'
import { resolveCustomer } from './customer.js'
import type {
  ProductLine,
  SubscriptionCanceledEvent,
  SubscriptionCreatedEvent,
  SubscriptionTrialWillEndEvent,
} from './domain-events.js'
import { at, dateOf, idOf, items, type Json, noteDate, num, obj, str } from './fields.js'
import { productLine } from './product-lines.js'
import { subscriptionInfo } from './subscription-info.js'

/** The subscription events CashNotify turns into domain events. */
export type SubscriptionDomainEvent =
  | SubscriptionCreatedEvent
  | SubscriptionCanceledEvent
  | SubscriptionTrialWillEndEvent

const date = dateOf

async function productsOf(
  subscription: Json,
  context: EnrichContext,
  unavailable: Unavailable,
): Promise<ProductLine[]> {
  return Promise.all(
    items(subscription.items).map((item) => {
      const price = obj(item.price) ?? obj(item.plan)
      const unit = num(price?.unit_amount) ?? num(price?.amount)
      const quantity = num(item.quantity) ?? 1
      return productLine(
        {
          productId: idOf(price?.product),
          productName: str(obj(price?.product)?.name),
          quantity,
          amount: unit === undefined ? undefined : unit * quantity,
          currency: str(price?.currency),
        },
        context,
        unavailable,
      )
    }),
  )
}

/** When a subscription set to cancel will end: `cancel_at`, else the end of its current period. */
function endOfPeriod(subscription: Json): number | undefined {
  return (
    num(subscription.cancel_at) ??
    num(subscription.current_period_end) ??
    num(at(items(subscription.items)[0], 'current_period_end'))
  )
}

/** Whether an update just set the subscription to cancel (at its period's end or at a date). */
function newlyScheduled(subscription: Json, previous: Json): boolean {
  return (
    (previous.cancel_at_period_end === false && subscription.cancel_at_period_end === true) ||
    ('cancel_at' in previous && previous.cancel_at === null && num(subscription.cancel_at) !== undefined)
  )
}

/**
 * `customer.subscription.created` → `subscription.created`; `.deleted` → `subscription.canceled`
 * (now); `.updated` that sets `cancel_at_period_end` or `cancel_at` → `subscription.canceled`
 * (scheduled); `.trial_will_end` → `subscription.trial_will_end`. Other updates are not news.
 */
export async function buildSubscriptionEvent(
  event: Stripe.Event,
  context: EnrichContext,
): Promise<SubscriptionDomainEvent | undefined> {
  const subscription = objectOf(event)
  const id = str(subscription.id)
  if (!id) return undefined
  const previous = obj(event.data.previous_attributes) ?? {}
  // Most updates (a renewal's new period, a price change) are not news: no customer read for them.
  if (event.type === 'customer.subscription.updated' && !newlyScheduled(subscription, previous))
    return undefined
  const unavailable: Unavailable = {}
  const customer = await resolveCustomer(idOf(subscription.customer), [], context, unavailable)
  const info = subscriptionInfo(subscription, context.money)
  const common = { subscription: info, ...(customer ? { customer } : {}) }
  const path = `subscriptions/${id}`
  switch (event.type) {
    case 'customer.subscription.created': {
      const trialEnd = date(num(subscription.trial_end))
      const products = await productsOf(subscription, context, unavailable)
      return {
        ...baseFields('subscription.created', id, [event], context, path),
        unavailable,
        ...common,
        products,
        ...(trialEnd ? { trialEnd } : {}),
      }
    }
    case 'customer.subscription.deleted': {
      const endsAt = date(num(subscription.ended_at) ?? num(subscription.canceled_at))
      const reason =
        str(at(subscription, 'cancellation_details', 'feedback')) ??
        str(at(subscription, 'cancellation_details', 'reason'))
      return {
        ...baseFields('subscription.canceled', id, [event], context, path),
        unavailable,
        ...common,
        scheduled: false,
        ...(endsAt ? { endsAt } : {}),
        ...(reason ? { reason } : {}),
      }
    }
    case 'customer.subscription.updated': {
      const end = endOfPeriod(subscription)
      const endsAt = dateOf(end)
      const reason =
        str(at(subscription, 'cancellation_details', 'feedback')) ??
        str(at(subscription, 'cancellation_details', 'reason'))
      return {
        ...baseFields('subscription.canceled', `${id}:scheduled:${end ?? event.id}`, [event], context, path),
        unavailable,
        ...common,
        scheduled: true,
        ...(endsAt ? { endsAt } : {}),
        ...(reason ? { reason } : {}),
      }
    }
    case 'customer.subscription.trial_will_end': {
      const trialEnd = num(subscription.trial_end)
      const ends = noteDate(subscription.trial_end, 'trialEnd', unavailable)
      return {
        ...baseFields('subscription.trial_will_end', `${id}:${trialEnd ?? event.id}`, [event], context, path),
        unavailable,
        ...common,
        ...(ends ? { trialEnd: ends } : {}),
      }
    }
    default:
      return undefined
  }
}
