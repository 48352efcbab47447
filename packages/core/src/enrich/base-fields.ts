import type Stripe from 'stripe'
import type { EnrichContext } from './context.js'
import type { DomainEventBase } from './domain-events.js'

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
