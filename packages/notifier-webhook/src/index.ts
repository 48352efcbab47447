export { type WebhookDigestPayload, webhookDigestPayloadSchema } from './digest-payload.js'
export { webhookNotifier } from './notifier.js'
export { NAME, type WebhookFormat, type WebhookNotifierOptions } from './options.js'
export {
  WEBHOOK_PAYLOAD_VERSION,
  type WebhookEventData,
  type WebhookPayload,
  webhookPayloadSchema,
} from './payload.js'
