import type Stripe from 'stripe'
import type { Wire } from '../wire.js'
import type { CardInput, DeclineCode } from './cards.js'
import { EventBatch, type Scene } from './context.js'
import { invoiceDraft } from './invoice.js'
import { type Attempt, declineInvoice, payInvoice } from './invoice-attempt.js'
import { catalogOf, newInvoice, type SubscriptionCallOptions, type SubscriptionResult } from './subscribe.js'
import { storedSubscription } from './subscription-changes.js'
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

/** The subscription's open (failed) invoice, if its latest invoice is one. */
function openInvoice(scene: Scene, subscription: Subscription): Wire<Stripe.Invoice> | undefined {
  const id = typeof subscription.latest_invoice === 'string' ? subscription.latest_invoice : null
  const invoice = id === null ? undefined : scene.store.get('invoice', id)
  return invoice?.status === 'open' ? invoice : undefined
}

/**
 * When Stripe makes the next automatic payment attempt: a failed invoice's Smart Retry at its
 * `next_payment_attempt`, else the renewal at the end of the current period.
 */
function attemptDue(subscription: Subscription, failed: Wire<Stripe.Invoice> | undefined) {
  const retry = failed?.next_payment_attempt
  return retry === undefined || retry === null
    ? { at: itemOf(subscription).current_period_end, what: `Subscription ${subscription.id}'s period ends` }
    : { at: retry, what: `Invoice ${failed?.id}'s next payment attempt is due` }
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
  const at = scene.moment(input.at, attemptDue(subscription, failed))
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
  const at = scene.moment(input.at, attemptDue(subscription, failed))
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
