import type { Money } from '../shared/money.js'
import { type EnrichContext, lookupFailed, type Unavailable } from './context.js'
import type { SubscriptionInfo } from './domain-events.js'
import { idOf, type Json, str, subscriptionAmount, subscriptionInterval } from './fields.js'

/** A subscription as events show it, read when the key may (`rak_subscription_read`). */
export async function resolveSubscription(
  subscriptionId: string | undefined,
  context: EnrichContext,
  unavailable: Unavailable,
): Promise<SubscriptionInfo | undefined> {
  if (!subscriptionId) return undefined
  const result = await context.lookups.subscription(subscriptionId)
  if (!result.ok) {
    lookupFailed(context, unavailable, 'subscription', result)
    return { id: subscriptionId }
  }
  return subscriptionInfo(result.value, context.money)
}

/** A {@link SubscriptionInfo} from a subscription object. */
export function subscriptionInfo(
  subscription: Json,
  money: (amount: number, currency: string) => Money,
): SubscriptionInfo {
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
