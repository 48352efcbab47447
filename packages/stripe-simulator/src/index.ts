/**
 * `@cashnotify/stripe-simulator`: the simulator, its options, scenarios and results, and the types of what
 * it hands out. How it stores, logs, renders and prices stays inside.
 */
export type { CreateAccountInput, SimAccount } from './accounts.js'
export { DEFAULT_API_VERSION } from './accounts.js'
export type { Clock } from './clock.js'
export { ManualClock, monotonicClock, systemClock } from './clock.js'
export type { StoredObject } from './collection.js'
export type { FaultHandle, FaultInjector, FaultKind, FaultSpec } from './faults.js'
export type { KeyKind, KeyMode } from './ids.js'
export { samplePng } from './png.js'
export type { RateLimits } from './rate-limit.js'
export { DEFAULT_RATE_LIMITS } from './rate-limit.js'
export type { ReadAllocation, ReadAllocationRules } from './read-allocation.js'
export { DEFAULT_READ_ALLOCATION } from './read-allocation.js'
export type { VersionChange } from './render/changes.js'
export { VERSION_CHANGES } from './render/changes.js'
export type { Json, RenderSource } from './render/versions.js'
export type { RequestLog, RequestLogEntry } from './request-log.js'
export { EVENT_RETENTION_SECONDS } from './routes/events.js'
export type { BusinessOptions, ProductResult } from './scenarios/business.js'
export { Business } from './scenarios/business.js'
export type {
  AuthorizationResult,
  AuthorizeInput,
  CaptureInput,
  CaptureResult,
} from './scenarios/capture.js'
export type { CardInput, DeclineCode } from './scenarios/cards.js'
export type { CustomerInput, ProductInput } from './scenarios/catalog.js'
export type { CloseDisputeInput, DisputeInput, DisputeReason, DisputeResult } from './scenarios/dispute.js'
export type { FailedRenewalResult, FailRenewalInput, RenewInput } from './scenarios/lifecycle.js'
export type { PayoutArrival, PayoutFailureCode, PayoutInput, PayoutResult } from './scenarios/payout.js'
export type { RefundInput, RefundResult } from './scenarios/refund.js'
export type { Guest, SaleInput, SaleItem, SaleResult } from './scenarios/sale.js'
export type { SubscribeInput, SubscriptionCallOptions, SubscriptionResult } from './scenarios/subscribe.js'
export type { CancelInput, SubscriptionChange } from './scenarios/subscription-changes.js'
export type { ListenOptions, SimulatorServer } from './server.js'
export { StripeSimulator } from './simulator.js'
export type {
  AddWebhookEndpointInput,
  CreateEventInput,
  CreateKeyInput,
  SimulatorOptions,
} from './simulator-options.js'
export type { ObjectStore, ResourceTypes } from './store.js'
export type { WebhookDeliveries } from './webhooks/deliveries.js'
export type { WebhookEndpointObject } from './webhooks/endpoint-object.js'
export type { DeliveryFaults, WebhookOptions } from './webhooks/options.js'
export { DEFAULT_WEBHOOK_RETRIES } from './webhooks/options.js'
export type { CreatedWebhookEndpoint } from './webhooks/register.js'
export type { UpcomingDelivery, WebhookDeliveryLogEntry, WebhookDeliveryStats } from './webhooks/stats.js'
export type { Wire } from './wire.js'
