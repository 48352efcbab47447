import type { NotifierFactory } from '@cashnotify/core'
import { ConfigError } from '@cashnotify/core'

/** The notifier's name, as it appears in logs, errors and dead letters. */
export const NAME = 'webhook'

/** Options of {@link webhookNotifier}. */
export interface WebhookNotifierOptions {
  /**
   * The endpoint every notification is POSTed to: an absolute `http:` or `https:` URL.
   * Treat it as a secret when the URL itself grants access (Slack and Discord incoming webhooks).
   */
  url: string
  /**
   * The Standard Webhooks signing secret, `whsec_` followed by base64. When given, each request carries
   * `webhook-id`, `webhook-timestamp` and `webhook-signature` headers the receiver can verify.
   * @default undefined (requests are not signed)
   */
  secret?: string
}

/**
 * Sends each notification as a signed HTTP POST.
 *
 * This package is a skeleton for now: the options are validated, sending lands with the notifiers issue.
 * @example
 * ```ts
 * const notifier = webhookNotifier({ url: 'https://example.com/hooks/cashnotify', secret: 'whsec_...' })
 * ```
 */
export const webhookNotifier: NotifierFactory<WebhookNotifierOptions> = (options) => {
  validateOptions(options)
  return { name: NAME, send: notImplemented }
}

function validateOptions(options: WebhookNotifierOptions): void {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(
      `[${NAME}] Expected options to be an object with a \`url\`, got ${describe(options)}.`,
    )
  }
  if (options.url === undefined || options.url === '') {
    throw new ConfigError(`[${NAME}] Missing required option \`url\`.`)
  }
  if (typeof options.url !== 'string') {
    throw new ConfigError(`[${NAME}] Expected \`url\` to be a string, got ${describe(options.url)}.`)
  }
  // The URL is never echoed back: incoming-webhook URLs (Slack, Discord) carry their own credential.
  let protocol: string
  try {
    protocol = new URL(options.url).protocol
  } catch {
    throw new ConfigError(
      `[${NAME}] Expected \`url\` to be an absolute http(s) URL, got a string that is not a URL. ` +
        'Pass the full address, e.g. `https://example.com/hooks/cashnotify`.',
    )
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new ConfigError(`[${NAME}] Expected \`url\` to use http: or https:, got \`${protocol}\`.`)
  }
  if (options.secret !== undefined && !isSigningSecret(options.secret)) {
    // The secret is never echoed back either, not even in part.
    throw new ConfigError(
      `[${NAME}] Expected \`secret\` to be a Standard Webhooks secret (\`whsec_\` followed by base64), ` +
        'got a value of another shape. Copy the secret exactly as the receiving service shows it.',
    )
  }
}

function isSigningSecret(secret: unknown): boolean {
  return typeof secret === 'string' && /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret)
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value
}

function notImplemented(): Promise<never> {
  return Promise.reject(
    new Error(
      `[cashnotify] [${NAME}] Sending is not implemented in this skeleton yet; it lands with the notifiers issue.`,
    ),
  )
}
