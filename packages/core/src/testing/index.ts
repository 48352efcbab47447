/**
 * `@cashnotify/core/testing`: the shared notifier test suite and the sample events it sends, with the
 * types those samples are made of.
 */
export type { AccountLogo, LogoContentType } from '../accounts/logo.js'
export type { Notification, Notifier, NotifierContext } from '../delivery/notifier.js'
export type {
  Digest,
  DigestComparison,
  DigestCountry,
  DigestFigures,
  DigestNotification,
  DigestPeriod,
  DigestPeriodKind,
  DigestProduct,
} from '../digest/types.js'
export type {
  CustomerInfo,
  DisputeClosedEvent,
  DisputeCreatedEvent,
  DomainEvent,
  DomainEventBase,
  DomainEvents,
  DomainEventType,
  EventAccount,
  Money,
  PaymentFailedEvent,
  PayoutEvent,
  ProductLine,
  RefundEvent,
  SaleEvent,
  SaleFields,
  SaleUpdatedEvent,
  SubscriptionCanceledEvent,
  SubscriptionCreatedEvent,
  SubscriptionInfo,
  SubscriptionTrialWillEndEvent,
} from '../enrich/domain-events.js'
export type { KeyMode } from '../stripe/credential.js'
export { sampleDigest, sampleDigestFigures, sampleDigestNotification } from './digest-fixture.js'
export { DOMAIN_EVENT_TYPES, sampleAccount, sampleEvent, sampleNotification } from './fixtures.js'
export type { NotifierHarness, NotifierSuiteOptions } from './harness.js'
export { notifierTestSuite } from './suite.js'
