/**
 * Stage 6, instance: the `CashNotify` class, its options and events, and the wiring of each watched
 * account's pipeline (Stripe → poller → enricher → emitter → delivery). May import every stage.
 */
export { CashNotify } from './cashnotify.js'
export type { CashNotifyCluster } from './cluster.js'
export type { DigestQuery } from './digests.js'
export type {
  AccountStatusChange,
  CashNotifyEventName,
  CashNotifyEvents,
  DomainEventListeners,
  Gap,
  Listener,
  StripeEventContext,
} from './events.js'
export type {
  AddAccountInput,
  CashNotifyOptions,
  EnrichmentOptions,
  NotifierEntry,
  ReadAllocationOptions,
  RemoveAccountOptions,
  WebhookOptions,
} from './options.js'
export type { WebhookHandler } from './webhook-http.js'
