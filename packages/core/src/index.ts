export type { Account, AccountStatus } from './accounts/account.js'
export { type AccountMetadata, genericName } from './accounts/metadata.js'
export { CashNotify } from './instance/cashnotify.js'
export { type CheckKeyOptions, checkKey } from './accounts/check-key.js'
export {
  type DeadLetter,
  type DeadLetterError,
  type DeliveryFilter,
  type DeliveryRetryOptions,
  NOTIFIER_DEFAULTS,
  type NotificationDeadLetterEvent,
  type NotificationDeliveredEvent,
  type NotificationRetryEvent,
  type NotifierDisabledEvent,
  type NotifierOptions,
} from './delivery/index.js'
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
  type Money,
  type PaymentFailedEvent,
  type PayoutEvent,
  type ProductLine,
  type RefundEvent,
  type SaleEvent,
  type SubscriptionCanceledEvent,
  type SubscriptionCreatedEvent,
  type SubscriptionInfo,
  type SubscriptionTrialWillEndEvent,
} from './enrich/domain-events.js'
export type { EventMap, Listener } from './shared/emitter.js'
export type { LookupCacheOptions } from './enrich/lookups.js'
export {
  AccountError,
  AccountRefusedError,
  CashNotifyError,
  type CashNotifyErrorCode,
  type CashNotifyErrorOptions,
  ConfigError,
  type InvalidKeyCode,
  InvalidKeyError,
  MissingPermissionError,
  NotifierError,
  type NotifierErrorOptions,
  RateLimitedError,
  StripeRequestError,
  StripeUnavailableError,
} from './shared/errors.js'
export type {
  AccountStatusChange,
  CashNotifyEventName,
  CashNotifyEvents,
  DomainEventListeners,
  Gap,
  StripeEventContext,
} from './instance/events.js'
export {
  eventAmount,
  type FormatHook,
  type FormatOptions,
  formatNotification,
  type NotificationText,
  type PrivacyOptions,
  toNotification,
} from './delivery/format.js'
export { ApiKey, KEY_KINDS, type KeyKind, type KeyMode, parseKey } from './accounts/keys.js'
export { type LogFields, type Logger, redactingLogger, silentLogger } from './shared/logger.js'
export {
  type AccountLogo,
  genericLogo,
  type LogoContentType,
  MAX_LOGO_BYTES,
  sniffImageType,
} from './accounts/logo.js'
export { formatAmount, minorUnitDigits, money } from './shared/money.js'
export type {
  Notification,
  Notifier,
  NotifierContext,
  NotifierFactory,
} from './delivery/notifier.js'
export type { AddAccountInput, CashNotifyOptions, KeyValueStore, NotifierEntry } from './instance/options.js'
export type { LostFeature, PermissionCheck, PermissionReport, PermissionState } from './accounts/permission-report.js'
export {
  type Feature,
  isPermissionName,
  OPTIONAL_PERMISSIONS,
  PERMISSION_NAMES,
  PERMISSIONS,
  type PermissionInfo,
  type PermissionName,
  REQUIRED_PERMISSIONS,
  type RestrictedKeyUrlOptions,
  restrictedKeyUrl,
} from './accounts/permissions.js'
export { DEFAULT_BUDGET, type RequestBudgetOptions } from './stripe/request-budget.js'
export { containsSecret, redactKey, redactSecrets } from './shared/redact.js'
export type { RetryOptions } from './stripe/retry.js'
export { type StripeConnectionOptions, stripeConnectionFromUrl } from './stripe/client.js'
export { fromStripeError, type StripeErrorContext } from './stripe/errors.js'
