/** The domain events that come from one Stripe event each, by Stripe event type. */
import type Stripe from 'stripe'
import type { EnrichContext } from './context.js'
import { buildDispute } from './dispute.js'
import type { DomainEvent } from './domain-events.js'
import { buildPaymentFailed } from './payment-failed.js'
import { buildPayout } from './payout.js'
import { buildRefund } from './refund.js'
import { buildSubscriptionEvent } from './subscription.js'

/** Builds the domain event of one Stripe event; the batch gives siblings (a refund's `refund.*` event). */
export type SingleBuilder = (
  event: Stripe.Event,
  batch: readonly Stripe.Event[],
  context: EnrichContext,
) => Promise<DomainEvent | undefined>

const subscription: SingleBuilder = async (event, _batch, context) => buildSubscriptionEvent(event, context)
const dispute: SingleBuilder = async (event, _batch, context) => buildDispute(event, context)
const payout: SingleBuilder = async (event, _batch, context) => buildPayout(event, context)

/** Builders of the domain events that come from one Stripe event. */
export const SINGLE_BUILDERS: Readonly<Record<string, SingleBuilder>> = {
  'charge.refunded': buildRefund,
  'payment_intent.payment_failed': buildPaymentFailed,
  'charge.failed': buildPaymentFailed,
  'charge.dispute.created': dispute,
  'charge.dispute.closed': dispute,
  'customer.subscription.created': subscription,
  'customer.subscription.updated': subscription,
  'customer.subscription.deleted': subscription,
  'customer.subscription.trial_will_end': subscription,
  'payout.paid': payout,
  'payout.failed': payout,
}
