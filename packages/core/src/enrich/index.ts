/**
 * Stage 4, enrich: Stripe events become domain events — exactly one `sale` per payment, with its fee,
 * customer and products — and the types of those events. Imports from shared/, stripe/ and accounts/.
 */
export {
  type CustomerInfo,
  type DisputeClosedEvent,
  type DisputeCreatedEvent,
  DOMAIN_EVENT_TYPES,
  type DomainEvent,
  type DomainEventBase,
  type DomainEvents,
  type DomainEventType,
  type EventAccount,
  type PaymentFailedEvent,
  type PayoutEvent,
  type ProductLine,
  type RefundEvent,
  type SaleEvent,
  type SaleFields,
  type SaleUpdatedEvent,
  type SubscriptionCanceledEvent,
  type SubscriptionCreatedEvent,
  type SubscriptionInfo,
  type SubscriptionTrialWillEndEvent,
} from './domain-events.js'
export { Enricher } from './enricher.js'
export { type LookupCacheOptions, StripeLookups } from './lookups.js'
