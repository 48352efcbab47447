/** Delivery: what `index.ts` re-exports from this folder. */
export { Delivery } from './delivery.js'
export { NOTIFIER_DEFAULTS } from './filter.js'
export { DELIVERED_TTL_MS } from './outbox.js'
export { MAX_STORED_LOGO_BYTES } from './serialize.js'
export type {
  DeadLetter,
  DeadLetterError,
  DeliveryErrorEvent,
  DeliveryEvent,
  DeliveryFilter,
  DeliveryOptions,
  DeliveryRetryOptions,
  DeliveryStopOptions,
  NotificationDeadLetterEvent,
  NotificationDeliveredEvent,
  NotificationRetryEvent,
  NotifierDisabledEvent,
  NotifierOptions,
} from './types.js'
