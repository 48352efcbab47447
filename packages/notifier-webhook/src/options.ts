/** The notifier's name, as it appears in logs, errors and dead letters. */
export const NAME = 'webhook'

/**
 * What a request body looks like: CashNotify's versioned JSON payload, a Slack incoming-webhook message
 * or a Discord webhook message.
 */
export type WebhookFormat = 'json' | 'slack' | 'discord'

/** Options of {@link webhookNotifier}. */
export interface WebhookNotifierOptions {
  /**
   * The endpoint every notification is POSTed to: an absolute `http:` or `https:` URL.
   * Treat it as a secret when the URL itself grants access (Slack and Discord incoming webhooks): it is
   * never echoed in error messages, which name its host only.
   */
  url: string
  /**
   * The Standard Webhooks signing secret, `whsec_` followed by base64. When given, each request carries a
   * `webhook-signature` header the receiver can verify. Pass several while rotating secrets: the request
   * is signed with each, and a receiver that knows any one of them accepts it.
   * @default undefined (requests are not signed)
   */
  secret?: string | readonly string[]
  /**
   * The body's format: `json` (the versioned {@link WebhookPayload}), `slack` (an incoming-webhook
   * message with blocks) or `discord` (a webhook message with one embed).
   * @default 'json'
   */
  format?: WebhookFormat
  /**
   * The longest a request may take, in ms, answer included, before it fails as retryable. Delivery's own
   * signal still applies: whichever ends first wins.
   * @default 10000
   */
  timeoutMs?: number
  /**
   * Extra request headers, e.g. `{ authorization: 'Bearer …' }`. They cannot set `content-type` nor the
   * `webhook-*` headers, which the notifier owns. Their values are never echoed in error messages.
   * @default {}
   */
  headers?: Readonly<Record<string, string>>
  /**
   * `json` format only: keep the raw Stripe events a domain event was made from in `data.stripeEvents`.
   * They are large and hold customer data, so they are left out unless asked for.
   * @default false
   */
  includeStripeEvents?: boolean
  /**
   * `discord` format only: the name the message is posted under.
   * @default undefined (the name set on the Discord webhook)
   */
  username?: string
  /**
   * The `fetch` requests go through, e.g. a proxy-aware one.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch
  /**
   * The clock, ms since epoch: `webhook-timestamp` and `Retry-After` dates are read against it.
   * @default Date.now
   */
  now?: () => number
}
