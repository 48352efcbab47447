/** The default text of each family of domain events: one function each. */
import type {
  DisputeClosedEvent,
  DisputeCreatedEvent,
  PaymentFailedEvent,
  PayoutEvent,
  RefundEvent,
  SaleEvent,
  SaleUpdatedEvent,
  SubscriptionCanceledEvent,
  SubscriptionCreatedEvent,
  SubscriptionTrialWillEndEvent,
} from '../../enrich/domain-events.js'
import {
  capitalize,
  customerText,
  humanize,
  join,
  moneyText,
  type NotificationText,
  priceText,
  productsText,
  type TextContext,
  title,
  withCustomer,
} from './parts.js'

/** `$49.00 sale · Acme Inc` / `jane@example.com (US) · Pro plan · fee $1.72`; completed later, `sale details`. */
export function saleText(event: SaleEvent | SaleUpdatedEvent, ctx: TextContext): NotificationText {
  const fee = moneyText(event.fee, ctx)
  return {
    title: title(event, event.type === 'sale' ? 'sale' : 'sale details', moneyText(event.amount, ctx)),
    body: withCustomer(customerText(event.customer, ctx), [
      productsText(event.products) ?? event.description,
      fee && `fee ${fee}`,
    ]),
  }
}

/** `$10.00 refund · Acme Inc` / `Partial refund of a $49.00 payment · jane@example.com · duplicate`. */
export function refundText(event: RefundEvent, ctx: TextContext): NotificationText {
  const of = moneyText(event.chargeAmount, ctx)
  return {
    title: title(event, 'refund', moneyText(event.amount, ctx)),
    body: join([
      event.full ? 'Full refund' : of ? `Partial refund of a ${of} payment` : 'Partial refund',
      customerText(event.customer, ctx),
      humanize(event.reason),
    ]),
  }
}

/** `$49.00 payment failed · Acme Inc` / `jane@example.com · insufficient funds · subscription renewal`. */
export function paymentFailedText(event: PaymentFailedEvent, ctx: TextContext): NotificationText {
  return {
    title: title(event, 'payment failed', moneyText(event.amount, ctx)),
    body: withCustomer(customerText(event.customer, ctx), [
      humanize(event.declineCode) ?? event.reason,
      event.subscription && 'subscription renewal',
    ]),
  }
}

/** A dispute opened (`Reason: fraudulent · evidence due by …`) or decided (`dispute won`). */
export function disputeText(
  event: DisputeCreatedEvent | DisputeClosedEvent,
  ctx: TextContext,
): NotificationText {
  const amount = moneyText(event.amount, ctx)
  if (event.type === 'dispute.created') {
    const due = ctx.date(event.evidenceDueBy)
    return {
      title: title(event, 'dispute', amount),
      body: join([`Reason: ${humanize(event.reason)}`, due && `evidence due by ${due}`]),
    }
  }
  const decided = event.outcome === 'won' || event.outcome === 'lost'
  return {
    title: title(event, decided ? `dispute ${event.outcome}` : 'dispute closed', amount),
    body: `Closed as ${humanize(event.outcome)}`,
  }
}

type SubscriptionEvent = SubscriptionCreatedEvent | SubscriptionCanceledEvent | SubscriptionTrialWillEndEvent

/** A new subscription, one that ends (now or at its period's end), or a trial that ends soon. */
export function subscriptionText(event: SubscriptionEvent, ctx: TextContext): NotificationText {
  const customer = customerText(event.customer, ctx)
  const price = priceText(event.subscription, ctx)
  if (event.type === 'subscription.created') {
    const trial = ctx.date(event.trialEnd)
    return {
      title: title(event, price ? `new ${price} subscription` : 'new subscription', undefined),
      body: withCustomer(customer, [productsText(event.products), trial && `trial until ${trial}`]),
    }
  }
  if (event.type === 'subscription.trial_will_end') {
    const ends = ctx.date(event.trialEnd)
    return {
      title: title(event, 'trial ending', undefined),
      body: withCustomer(customer, [ends && `trial ends ${ends}`, price && `then ${price}`]),
    }
  }
  const ends = ctx.date(event.endsAt)
  const when = event.scheduled ? 'ends at period end' : 'canceled immediately'
  return {
    title: title(event, event.scheduled ? 'subscription set to cancel' : 'subscription canceled', undefined),
    body: withCustomer(customer, [price, `${when}${ends ? `, ${ends}` : ''}`, humanize(event.reason)]),
  }
}

/** `$1,200.00 payout · Acme Inc` / `Arrives in your bank on Nov 4, 2026`, or why it failed. */
export function payoutText(event: PayoutEvent, ctx: TextContext): NotificationText {
  const amount = moneyText(event.amount, ctx)
  if (event.type === 'payout.failed') {
    return {
      title: title(event, 'payout failed', amount),
      body: capitalize(event.failureMessage ?? humanize(event.failureCode) ?? ''),
    }
  }
  // Stripe's arrival date is a calendar date (midnight UTC): shown as such, whatever the time zone.
  const arrives = ctx.date(event.arrivalDate, true)
  return { title: title(event, 'payout', amount), body: arrives ? `Arrives in your bank on ${arrives}` : '' }
}
