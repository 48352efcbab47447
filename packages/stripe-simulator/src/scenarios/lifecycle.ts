import type Stripe from 'stripe'
import type { Wire } from '../wire.js'
import type { CardInput, DeclineCode } from './cards.js'
import { EventBatch, idOfRef, required, type Scene } from './context.js'
import { invoiceDraft } from './invoice.js'
import { type Attempt, declineInvoice, payInvoice } from './invoice-attempt.js'
import { catalogOf, newInvoice, type SubscriptionCallOptions, type SubscriptionResult } from './subscribe.js'
import { itemOf, lineDescription, periodEnd, withPeriod } from './subscription-object.js'

type Subscription = Wire<Stripe.Subscription>

/** Options of `Business.renew`. */
export interface RenewInput extends SubscriptionCallOptions {
  /** The card charged. */
  card?: CardInput
  /** The charge's balance transaction arrives in a later `charge.updated`. @default false */
  balanceTransactionLater?: boolean
}

/** Options of `Business.failRenewal`. */
export interface FailRenewalInput extends SubscriptionCallOptions {
  /** Why the card is declined. @default 'generic_decline' */
  declineCode?: DeclineCode
  /** The card charged. */
  card?: CardInput
}

/** What `Business.failRenewal` made or changed. */
export interface FailedRenewalResult {
  /** The subscription, `past_due`. */
  subscription: Subscription
  /** The open invoice, `attempted`, with `next_payment_attempt` set. */
  invoice: Wire<Stripe.Invoice>
  /** The payment intent, `requires_payment_method`, with `last_payment_error`. */
  paymentIntent: Wire<Stripe.PaymentIntent>
  /** The failed charge: `failure_code`, `failure_message`, `outcome`. */
  charge: Wire<Stripe.Charge>
  /** The events, oldest first. */
  events: Stripe.Event[]
}

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

function storedSubscription(scene: Scene, ref: Subscription | string): Subscription {
  const id = idOfRef(ref)
  const subscription = required(scene.store.get('subscription', id), 'subscription', id)
  if (subscription.status === 'canceled') {
    throw new Error(`[stripe-simulator] Subscription ${id} is canceled; it has no further periods.`)
  }
  return subscription
}

/** The subscription's open (failed) invoice, if its latest invoice is one. */
function openInvoice(scene: Scene, subscription: Subscription): Wire<Stripe.Invoice> | undefined {
  const id = typeof subscription.latest_invoice === 'string' ? subscription.latest_invoice : null
  const invoice = id === null ? undefined : scene.store.get('invoice', id)
  return invoice?.status === 'open' ? invoice : undefined
}

/**
 * A payment attempt starting at `at`: a first attempt creates its payment intent then and charges a
 * second later; a retry reuses the payment intent and charges at `at` itself.
 */
function retryOrFirst(
  retry: boolean,
  base: Pick<Attempt, 'invoice' | 'customer' | 'card' | 'at'>,
  balanceTransactionLater = false,
): Attempt {
  return retry
    ? { ...base, at: base.at - 1, offset: -1, balanceTransactionLater }
    : { ...base, offset: 0, balanceTransactionLater }
}

/** Starts the next period: its invoice (draft, then finalized) and the subscription update. */
function nextPeriod(scene: Scene, batch: EventBatch, subscription: Subscription, at: number) {
  const item = itemOf(subscription)
  const { customer, price, product } = catalogOf(scene, String(subscription.customer), item.price.id)
  const start = item.current_period_end
  const end = periodEnd(price, start)
  const quantity = item.quantity ?? 1
  const open = newInvoice(scene, {
    customer,
    currency: price.currency,
    billingReason: 'subscription_cycle',
    subscription: subscription.id,
    // The invoice's own period is the one that just ended; its line covers the new one.
    periodStart: item.current_period_start,
    periodEnd: start,
    at,
    lines: [
      {
        price,
        quantity,
        amount: (price.unit_amount ?? 0) * quantity,
        description: lineDescription(product, price, quantity),
        period: { start, end },
        source: { subscription: subscription.id, subscriptionItem: item.id },
      },
    ],
  })
  const moved: Subscription = {
    ...withPeriod(subscription, start, end),
    latest_invoice: open.id,
    status: 'active',
  }
  batch.add('invoice.created', invoiceDraft(open))
  batch.add('customer.subscription.updated', moved, { before: subscription })
  batch.add('invoice.finalized', open)
  return { customer, open, moved }
}

/**
 * The next period is paid: invoice, payment and `customer.subscription.updated` (new period; a trial
 * ends). When the latest invoice failed, the renewal is that invoice's successful retry instead.
 */
export function renew(scene: Scene, ref: Subscription | string, input: RenewInput): SubscriptionResult {
  const subscription = storedSubscription(scene, ref)
  if (subscription.cancel_at_period_end) {
    throw new Error(
      `[stripe-simulator] Subscription ${subscription.id} cancels at period end; end it with cancel(sub, { atPeriodEnd: false }).`,
    )
  }
  const failed = openInvoice(scene, subscription)
  const at = input.at ?? failed?.next_payment_attempt ?? itemOf(subscription).current_period_end
  const batch = new EventBatch(at)
  const attempt = (invoice: Wire<Stripe.Invoice>, customer: Wire<Stripe.Customer>): Attempt =>
    retryOrFirst(
      failed !== undefined,
      { invoice, customer, card: input.card ?? {}, at },
      input.balanceTransactionLater,
    )
  if (failed !== undefined) {
    const { customer } = catalogOf(scene, String(subscription.customer), itemOf(subscription).price.id)
    const paid = payInvoice(scene, batch, attempt(failed, customer))
    const recovered: Subscription = { ...subscription, status: 'active' }
    if (subscription.status !== 'active') {
      batch.add('customer.subscription.updated', recovered, { before: subscription })
    }
    scene.save(recovered)
    return { subscription: recovered, ...paid, events: scene.emit(batch, input) }
  }
  const { customer, open, moved } = nextPeriod(scene, batch, subscription, at)
  const paid = payInvoice(scene, batch, attempt(open, customer))
  scene.save(moved)
  return { subscription: moved, ...paid, events: scene.emit(batch, input) }
}

/**
 * The next period's payment is declined: the invoice stays open, the subscription becomes `past_due`.
 * When the latest invoice already failed, this is another failed retry of it.
 */
export function failRenewal(
  scene: Scene,
  ref: Subscription | string,
  input: FailRenewalInput,
): FailedRenewalResult {
  const subscription = storedSubscription(scene, ref)
  const failed = openInvoice(scene, subscription)
  const at = input.at ?? failed?.next_payment_attempt ?? itemOf(subscription).current_period_end
  const batch = new EventBatch(at)
  const code = input.declineCode ?? 'generic_decline'
  const card = input.card ?? {}
  let before = subscription
  let declined: ReturnType<typeof declineInvoice>
  if (failed === undefined) {
    const { customer, open, moved } = nextPeriod(scene, batch, subscription, at)
    declined = declineInvoice(scene, batch, retryOrFirst(false, { invoice: open, customer, card, at }), code)
    before = moved
  } else {
    const { customer } = catalogOf(scene, String(subscription.customer), itemOf(subscription).price.id)
    declined = declineInvoice(scene, batch, retryOrFirst(true, { invoice: failed, customer, card, at }), code)
  }
  const pastDue: Subscription = { ...before, status: 'past_due' }
  if (before.status !== 'past_due') {
    batch.add('customer.subscription.updated', pastDue, { offset: failed === undefined ? 1 : 0, before })
  }
  scene.save(pastDue)
  return { subscription: pastDue, ...declined, events: scene.emit(batch, input) }
}

/** `customer.subscription.trial_will_end`, three days before the trial ends (at once for shorter trials). */
export function trialWillEnd(
  scene: Scene,
  ref: Subscription | string,
  input: Omit<SubscriptionCallOptions, 'at'>,
): SubscriptionChange {
  const subscription = storedSubscription(scene, ref)
  if (subscription.status !== 'trialing' || subscription.trial_end === null) {
    throw new Error(`[stripe-simulator] Subscription ${subscription.id} is not trialing.`)
  }
  const at = Math.max(subscription.trial_start ?? subscription.created, subscription.trial_end - 3 * 86_400)
  const batch = new EventBatch(at)
  batch.add('customer.subscription.trial_will_end', subscription)
  return { subscription, events: scene.emit(batch, input) }
}

/**
 * Cancels now (`customer.subscription.deleted`) or at period end (`customer.subscription.updated`
 * with `cancel_at_period_end: true`). `atPeriodEnd: false` on a subscription already set to cancel
 * at period end ends it then (its `cancel_at`), unless `at` says otherwise.
 */
export function cancel(scene: Scene, ref: Subscription | string, input: CancelInput): SubscriptionChange {
  const subscription = storedSubscription(scene, ref)
  const scheduled = subscription.cancel_at_period_end
  const at =
    input.at ?? (scheduled && !input.atPeriodEnd ? (subscription.cancel_at ?? scene.now()) : scene.now())
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
