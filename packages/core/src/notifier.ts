/**
 * `@cashnotify/core/notifier`: exactly what a notifier package needs — the contract, the events it is
 * given, its errors, the option-validation helpers every CashNotify package uses, logo helpers, and the
 * time-zone clock digests and rules use (so a package's days are the same days as core's).
 */
export {
  type AccountLogo,
  genericLogo,
  type LogoContentType,
  MAX_LOGO_BYTES,
  sniffImageType,
} from './accounts/index.js'
export type {
  Notification,
  NotificationMark,
  Notifier,
  NotifierContext,
  NotifierFactory,
} from './delivery/index.js'
export type {
  Digest,
  DigestComparison,
  DigestCountry,
  DigestFigures,
  DigestNotification,
  DigestPeriod,
  DigestPeriodKind,
  DigestProduct,
} from './digest/types.js'
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
} from './enrich/index.js'
export {
  addDays,
  CashNotifyError,
  type CashNotifyErrorCode,
  type CashNotifyErrorOptions,
  ConfigError,
  containsSecret,
  type DayKey,
  describeValue,
  expectedMessage,
  formatAmount,
  invalidOption,
  issueMessage,
  isTimeZone,
  type LogFields,
  type Logger,
  type Money,
  MoneyFormats,
  minorUnitDigits,
  NotifierError,
  type NotifierErrorOptions,
  type OptionChecks,
  optionChecks,
  type ParseOptionsSettings,
  parseOptions,
  printable,
  redactingLogger,
  redactSecrets,
  silentLogger,
  systemTimeZone,
  ZoneClock,
} from './shared/index.js'
export type { KeyMode } from './stripe/index.js'
