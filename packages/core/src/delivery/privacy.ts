/**
 * Privacy mode: what a notification may not show, e.g. on a shared screen. Customer details leave the
 * whole notification (text, payload, raw Stripe events); amounts leave the text.
 */
import type { DomainEvent } from '../enrich/domain-events.js'

/** What privacy mode hides from the text, e.g. when notifications show on a shared screen. */
export interface PrivacyOptions {
  /** Hide the customer's email, name and country. @default true */
  readonly customer?: boolean
  /** Hide every amount (price, fee, refund, payout). @default false */
  readonly amounts?: boolean
}

/** The privacy option in full: `true` hides the customer only. */
export function resolvePrivacy(privacy: boolean | PrivacyOptions | undefined): {
  customer: boolean
  amounts: boolean
} {
  if (privacy === true) return { customer: true, amounts: false }
  if (!privacy) return { customer: false, amounts: false }
  return { customer: privacy.customer ?? true, amounts: privacy.amounts ?? false }
}

/**
 * The event as notifiers may see it when customer details are private: without its customer, nor the raw
 * Stripe events that hold them, so no payload (webhook data, e-mail facts) can show them either.
 */
export function withoutCustomer(event: DomainEvent): DomainEvent {
  const { customer: _customer, ...rest } = event as DomainEvent & { customer?: unknown }
  return { ...rest, stripeEvents: [] } as DomainEvent
}
