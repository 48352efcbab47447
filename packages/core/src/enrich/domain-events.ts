import type Stripe from 'stripe'
import type { AccountLogo } from '../accounts/logo.js'
import type { Money } from '../shared/money.js'
import type { KeyMode } from '../stripe/credential.js'

export type { Money }

/** The customer of a payment, as far as the key may read it. */
export interface CustomerInfo {
  /** `cus_…`, absent for a guest checkout. */
  readonly id?: string
  /** Email address. */
  readonly email?: string
  /** Full name. */
  readonly name?: string
  /** Two-letter country code (billing address, else the card's country). */
  readonly country?: string
}

/** One product line of a payment. */
export interface ProductLine {
  /** `prod_…`. */
  readonly id?: string
  /** The product's name (needs `rak_product_read` when Stripe only gives its id). */
  readonly name?: string
  /** How many. */
  readonly quantity: number
  /** What the line cost. */
  readonly amount?: Money
}

/** A subscription as a notification shows it. */
export interface SubscriptionInfo {
  /** `sub_…`. */
  readonly id: string
  /** Stripe's status: `active`, `trialing`, `past_due`, `canceled` … */
  readonly status?: string
  /** Billing interval. */
  readonly interval?: 'day' | 'week' | 'month' | 'year'
  /** Intervals between bills (2 with `month` is every two months). */
  readonly intervalCount?: number
  /** What one period costs. */
  readonly amount?: Money
}

/** The account an event belongs to. */
export interface EventAccount {
  /** The Stripe account id. */
  readonly id: string
  /** The name to show. */
  readonly name: string
  /** `live` or `test`. */
  readonly mode: KeyMode
  /** The logo to show. */
  readonly logo: AccountLogo
}

/** Fields every domain event carries. */
export interface DomainEventBase<T extends string> {
  /** Stable idempotency key: the same happening always gets the same id, across polls and restarts. */
  readonly id: string
  /** The event type. */
  readonly type: T
  /** The account. */
  readonly account: EventAccount
  /** Live or test data. */
  readonly livemode: boolean
  /** When it happened (the Stripe event's `created`). */
  readonly createdAt: Date
  /** True for events read when the account was first watched. */
  readonly backfill: boolean
  /** The object in the Stripe dashboard. */
  readonly dashboardUrl?: string
  /**
   * Fields that could not be known, and why: `{ fee: 'missing permission rak_balance_read' }`.
   * A field is either present and true, or absent and explained here: never guessed.
   */
  readonly unavailable: Readonly<Record<string, string>>
  /** The Stripe events this one was made from (one or several). */
  readonly stripeEvents: readonly Stripe.Event[]
}

/** A successful payment: exactly one per payment, whichever of its Stripe events arrive, in any order. */
export interface SaleEvent extends DomainEventBase<'sale'>, SaleFields {}

/**
 * A sale completed after it went out: a look-up it needed failed for a passing reason (Stripe
 * unreachable, a 429) and succeeded later. It carries the whole sale again, with the fields now known.
 * Listeners get it; a notifier gets it only when its filter names `sale.updated`.
 */
export interface SaleUpdatedEvent extends DomainEventBase<'sale.updated'>, SaleFields {
  /** The id of the `sale` this one completes. */
  readonly saleId: string
  /** The fields that were missing and are now known, e.g. `['fee']`. */
  readonly completed: readonly string[]
}

/** What a sale says, first or completed. */
export interface SaleFields {
  /** What the customer paid. */
  readonly amount: Money
  /** Stripe's fee (from the balance transaction). */
  readonly fee?: Money
  /** What the account receives (from the balance transaction). */
  readonly net?: Money
  /** Who paid. */
  readonly customer?: CustomerInfo
  /** What was bought (empty when it cannot be known). */
  readonly products: readonly ProductLine[]
  /** The subscription this payment belongs to, for subscription payments. */
  readonly subscription?: SubscriptionInfo
  /** `pi_…`. */
  readonly paymentIntentId?: string
  /** `ch_…`. */
  readonly chargeId?: string
  /** `in_…`, for invoice payments. */
  readonly invoiceId?: string
  /** The payment's description, if any. */
  readonly description?: string
}

/** Money returned to a customer, in full or in part. */
export interface RefundEvent extends DomainEventBase<'refund'> {
  /** This refund. */
  readonly amount: Money
  /** Whether the charge is now refunded in full. */
  readonly full: boolean
  /** The charge's original amount. */
  readonly chargeAmount?: Money
  /** Who was refunded. */
  readonly customer?: CustomerInfo
  /** `ch_…`. */
  readonly chargeId: string
  /** Stripe's reason (`requested_by_customer`, `duplicate`, `fraudulent`), if given. */
  readonly reason?: string
}

/** A payment that failed, e.g. a declined card or a failed renewal. */
export interface PaymentFailedEvent extends DomainEventBase<'payment.failed'> {
  /** What was attempted. */
  readonly amount: Money
  /** Stripe's decline code (`insufficient_funds` …) or failure code. */
  readonly declineCode?: string
  /** Stripe's message for a person. */
  readonly reason?: string
  /** Who tried to pay. */
  readonly customer?: CustomerInfo
  /** The subscription, for a failed renewal. */
  readonly subscription?: SubscriptionInfo
  /** `pi_…`. */
  readonly paymentIntentId?: string
  /** `in_…`. */
  readonly invoiceId?: string
}

/** A customer disputed a charge. */
export interface DisputeCreatedEvent extends DomainEventBase<'dispute.created'> {
  /** The disputed amount. */
  readonly amount: Money
  /** Stripe's reason: `fraudulent`, `product_not_received` … */
  readonly reason: string
  /** When evidence is due. */
  readonly evidenceDueBy?: Date
  /** `ch_…`. */
  readonly chargeId?: string
}

/** A dispute was decided. */
export interface DisputeClosedEvent extends DomainEventBase<'dispute.closed'> {
  /** The disputed amount. */
  readonly amount: Money
  /** `won`, `lost` or Stripe's other final status. */
  readonly outcome: string
  /** `ch_…`. */
  readonly chargeId?: string
}

/** A new subscription. */
export interface SubscriptionCreatedEvent extends DomainEventBase<'subscription.created'> {
  /** The subscription. */
  readonly subscription: SubscriptionInfo
  /** The subscriber. */
  readonly customer?: CustomerInfo
  /** What was subscribed to. */
  readonly products: readonly ProductLine[]
  /** End of the free trial, when there is one. */
  readonly trialEnd?: Date
}

/** A subscription canceled now, or set to end at the end of its period. */
export interface SubscriptionCanceledEvent extends DomainEventBase<'subscription.canceled'> {
  /** The subscription. */
  readonly subscription: SubscriptionInfo
  /** The subscriber. */
  readonly customer?: CustomerInfo
  /** True when it ends at the period's end rather than now. */
  readonly scheduled: boolean
  /** When it ends (or ended). */
  readonly endsAt?: Date
  /** The customer's feedback or Stripe's cancellation reason, if any. */
  readonly reason?: string
}

/** A trial ends soon (Stripe tells three days before). */
export interface SubscriptionTrialWillEndEvent extends DomainEventBase<'subscription.trial_will_end'> {
  /** The subscription. */
  readonly subscription: SubscriptionInfo
  /** The subscriber. */
  readonly customer?: CustomerInfo
  /** When the trial ends. */
  readonly trialEnd?: Date
}

/** Money paid out to the bank, or a payout that failed. */
export interface PayoutEvent<T extends 'payout.paid' | 'payout.failed' = 'payout.paid' | 'payout.failed'>
  extends DomainEventBase<T> {
  /** The payout. */
  readonly amount: Money
  /** When it arrives (or was expected). */
  readonly arrivalDate?: Date
  /** `po_…`. */
  readonly payoutId: string
  /** Stripe's failure code, for a failed payout. */
  readonly failureCode?: string
  /** Stripe's failure message, for a failed payout. */
  readonly failureMessage?: string
}

/** Every domain event, by type. */
export interface DomainEvents {
  /** A successful payment. */
  sale: SaleEvent
  /** A sale completed later (only for notifiers whose filter names it). */
  'sale.updated': SaleUpdatedEvent
  /** A refund. */
  refund: RefundEvent
  /** A failed payment. */
  'payment.failed': PaymentFailedEvent
  /** A new dispute. */
  'dispute.created': DisputeCreatedEvent
  /** A decided dispute. */
  'dispute.closed': DisputeClosedEvent
  /** A new subscription. */
  'subscription.created': SubscriptionCreatedEvent
  /** A canceled subscription. */
  'subscription.canceled': SubscriptionCanceledEvent
  /** A trial ending soon. */
  'subscription.trial_will_end': SubscriptionTrialWillEndEvent
  /** A payout paid. */
  'payout.paid': PayoutEvent<'payout.paid'>
  /** A payout failed. */
  'payout.failed': PayoutEvent<'payout.failed'>
}

/** The type of a domain event. */
export type DomainEventType = keyof DomainEvents

/** Any domain event. */
export type DomainEvent = DomainEvents[DomainEventType]

/** Every domain event type, in the order the docs list them. */
export const DOMAIN_EVENT_TYPES = [
  'sale',
  'sale.updated',
  'refund',
  'payment.failed',
  'dispute.created',
  'dispute.closed',
  'subscription.created',
  'subscription.canceled',
  'subscription.trial_will_end',
  'payout.paid',
  'payout.failed',
] as const satisfies readonly DomainEventType[]

// A domain event added to the map and missing from the list above fails to compile here.
type Unlisted = Exclude<DomainEventType, (typeof DOMAIN_EVENT_TYPES)[number]>
const everyTypeListed: [Unlisted] extends [never] ? true : Unlisted = true
void everyTypeListed

/**
 * The main amount of an event: what was paid, refunded, disputed or paid out; for a subscription event,
 * what one period costs. `undefined` when the event has none.
 */
export function eventAmount(event: DomainEvent): Money | undefined {
  if ('amount' in event) return event.amount
  return event.subscription.amount
}
