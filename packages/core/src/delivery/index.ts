/**
 * Stage 5, delivery: domain events become notifications, kept in an outbox and sent by one queue per
 * notifier, with retries and dead letters; and the notifier contract plugins implement. Imports from
 * shared/, accounts/ and enrich/, never from polling/ or instance/.
 */
export { Delivery } from './delivery.js'
export type {
  Deliverable,
  Notification,
  NotificationMark,
  Notifier,
  NotifierContext,
  NotifierFactory,
} from './notifier.js'
export type { PrivacyOptions } from './privacy.js'
export { MAX_STORED_LOGO_BYTES } from './serialize.js'
export { SharedDelivery, type SharedDeliveryOptions } from './shared-delivery.js'
export type {
  SharedAttempt,
  SharedAttemptOutcome,
  SharedAttemptResult,
  SharedDeadLetter,
  SharedDeliveryQueues,
  SharedJob,
  SharedWorker,
} from './shared-queues.js'
export { type FormatHook, type FormatOptions, formatNotification } from './text/format.js'
export type { NotificationText } from './text/parts.js'
export type {
  DeadLetter,
  DeadLetterError,
  DeliveryErrorEvent,
  DeliveryEvent,
  DeliveryFilter,
  DeliveryOptions,
  DeliveryRetryOptions,
  DeliveryService,
  DeliveryStopOptions,
  NotificationDeadLetterEvent,
  NotificationDeliveredEvent,
  NotificationRetryEvent,
  NotifierDisabledEvent,
  NotifierOptions,
} from './types.js'
