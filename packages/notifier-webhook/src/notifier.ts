import type { DigestNotification, Notification, NotifierFactory } from '@cashnotify/core/notifier'
import { buildDigestPayload } from './digest-payload.js'
import { discordDigestMessage, slackDigestMessage } from './formats/digest.js'
import { discordMessage } from './formats/discord.js'
import { slackMessage } from './formats/slack.js'
import { NAME, type WebhookNotifierOptions } from './options.js'
import { payloadBody } from './payload.js'
import { type ResolvedOptions, resolveOptions } from './resolve-options.js'
import { post } from './send.js'

/**
 * Sends each notification as an HTTP POST: CashNotify's versioned JSON {@link WebhookPayload} signed
 * with Standard Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`), or a Slack or
 * Discord incoming-webhook message. A digest (`sendDigest`) is a {@link WebhookDigestPayload} signed the
 * same way, or a chat message with the totals of each currency.
 *
 * It makes one attempt per `send()` and says how it went: network errors, timeouts, 408, 429 and 5xx
 * reject with a retryable `NotifierError` (with `retryAfterMs` when the receiver sent `Retry-After`),
 * 410 with one that disables the notifier, other answers with one that is not retryable. Delivery in
 * core does the retrying, with the same `webhook-id` each time. It holds nothing between sends, so it has
 * no `close()`.
 *
 * @throws `ConfigError` at creation when an option is invalid, naming the option.
 * @example
 * ```ts
 * import { webhookNotifier } from '@cashnotify/notifier-webhook'
 *
 * const notifier = webhookNotifier({
 *   url: 'https://example.com/hooks/cashnotify',
 *   secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
 * })
 * ```
 */
export const webhookNotifier: NotifierFactory<WebhookNotifierOptions> = (options) => {
  const resolved = resolveOptions(options)
  return {
    name: NAME,
    // An HTTP endpoint takes several requests at once: one slow round trip does not hold the next.
    concurrency: 8,
    async send(notification, context) {
      await post(resolved, notification.id, render(resolved, notification), context.signal)
    },
    // A digest's id is as stable as a notification's: a retry carries the same `webhook-id`.
    async sendDigest(digest, context) {
      await post(resolved, digest.id, renderDigest(resolved, digest), context.signal)
    },
  }
}

/** The request body in the chosen format. */
function render(options: ResolvedOptions, notification: Notification): string {
  switch (options.format) {
    case 'json':
      return payloadBody(notification, options.includeStripeEvents)
    case 'slack':
      return JSON.stringify(slackMessage(notification))
    case 'discord':
      return JSON.stringify(discordMessage(notification, options.username))
  }
}

/** A digest's request body in the chosen format. */
function renderDigest(options: ResolvedOptions, digest: DigestNotification): string {
  switch (options.format) {
    case 'json':
      return JSON.stringify(buildDigestPayload(digest))
    case 'slack':
      return JSON.stringify(slackDigestMessage(digest))
    case 'discord':
      return JSON.stringify(discordDigestMessage(digest, options.username))
  }
}
