import type Stripe from 'stripe'
import type { Wire } from '../wire.js'
import { EventBatch, idOfRef, required, type Scene } from './context.js'
import type { SubscriptionCallOptions } from './subscribe.js'
import { itemOf } from './subscription-object.js'

type Subscription = Wire<Stripe.Subscription>

/** Options of `Business.cancel`. */
export interface CancelInput extends SubscriptionCallOptions {
  /** Cancel at the end of the current period (an update now) rather than now (a deletion). */
  atPeriodEnd: boolean
  /** `cancellation_details.feedback`. @default null */
  feedback?: Stripe.Subscription.CancellationDetails.Feedback | null
}

/** What a subscription change made. */
export interface SubscriptionChange {
  /** The subscription after the change. */
  subscription: Subscription
  /** The events, oldest first. */
  events: Stripe.Event[]
}

/** The stored subscription of a scenario call; a canceled one has nothing left to happen to it. */
export function storedSubscription(scene: Scene, ref: Subscription | string): Subscription {
  const id = idOfRef(ref)
  const subscription = required(scene.store.get('subscription', id), 'subscription', id)
  if (subscription.status === 'canceled') {
    throw new Error(`[stripe-simulator] Subscription ${id} is canceled; it has no further periods.`)
  }
  return subscription
}

/**
 * `customer.subscription.trial_will_end`: Stripe sends it three days before the trial ends (at the
 * trial's start for shorter trials), so without `at` the clock must have reached that moment.
 */
export function trialWillEnd(
  scene: Scene,
  ref: Subscription | string,
  input: SubscriptionCallOptions,
): SubscriptionChange {
  const subscription = storedSubscription(scene, ref)
  if (subscription.status !== 'trialing' || subscription.trial_end === null) {
    throw new Error(`[stripe-simulator] Subscription ${subscription.id} is not trialing.`)
  }
  const due = Math.max(subscription.trial_start ?? subscription.created, subscription.trial_end - 3 * 86_400)
  const at = scene.moment(input.at, {
    at: due,
    what: `Subscription ${subscription.id}'s trial_will_end is due`,
  })
  const batch = new EventBatch(at)
  batch.add('customer.subscription.trial_will_end', subscription)
  return { subscription, events: scene.emit(batch, input) }
}

/**
 * Cancels now (`customer.subscription.deleted`) or at period end (`customer.subscription.updated`
 * with `cancel_at_period_end: true`). `atPeriodEnd: false` on a subscription already set to cancel
 * at period end is that scheduled end: without `at`, the clock must have reached its `cancel_at`.
 */
export function cancel(scene: Scene, ref: Subscription | string, input: CancelInput): SubscriptionChange {
  const subscription = storedSubscription(scene, ref)
  const scheduled = subscription.cancel_at_period_end
  const end = scheduled && !input.atPeriodEnd ? subscription.cancel_at : null
  const at = scene.moment(
    input.at,
    end === null ? undefined : { at: end, what: `Subscription ${subscription.id} cancels` },
  )
  const details: Stripe.Subscription.CancellationDetails = {
    comment: null,
    feedback: input.feedback ?? null,
    feedback_option: null,
    reason: 'cancellation_requested',
  }
  const batch = new EventBatch(at)
  if (input.atPeriodEnd) {
    const after: Subscription = {
      ...subscription,
      cancel_at: itemOf(subscription).current_period_end,
      cancel_at_period_end: true,
      canceled_at: at,
      cancellation_details: details,
    }
    batch.add('customer.subscription.updated', after, { before: subscription })
    scene.save(after)
    return { subscription: after, events: scene.emit(batch, input) }
  }
  const ended: Subscription = {
    ...subscription,
    canceled_at: scheduled ? subscription.canceled_at : at,
    cancellation_details: scheduled ? subscription.cancellation_details : details,
    ended_at: at,
    status: 'canceled',
  }
  batch.add('customer.subscription.deleted', ended)
  scene.save(ended)
  return { subscription: ended, events: scene.emit(batch, input) }
}
