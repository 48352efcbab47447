import { ConfigError } from '@cashnotify/core/notifier'
import { NAME, type WebhookFormat, type WebhookNotifierOptions } from './options.js'

/** The options once checked, with their defaults. */
export interface ResolvedOptions {
  readonly url: URL
  /** The host and port, the only part of the URL that errors may show. */
  readonly host: string
  /** Decoded signing keys, one per secret. */
  readonly keys: readonly Buffer[]
  readonly format: WebhookFormat
  readonly timeoutMs: number
  readonly headers: Readonly<Record<string, string>>
  readonly includeStripeEvents: boolean
  readonly username: string | undefined
  readonly fetch: typeof fetch
  readonly now: () => number
  /** Every string an error message must not show: the URL, its path, the secrets, header values. */
  readonly sensitive: readonly string[]
}

/** The default of {@link WebhookNotifierOptions.timeoutMs}. */
const DEFAULT_TIMEOUT_MS = 10_000
/** Longer than this and Node's timers overflow; nobody needs a webhook to take 10 minutes anyway. */
const MAX_TIMEOUT_MS = 600_000
const FORMATS: readonly WebhookFormat[] = ['json', 'slack', 'discord']
const KNOWN_OPTIONS = new Set<string>([
  'url',
  'secret',
  'format',
  'timeoutMs',
  'headers',
  'includeStripeEvents',
  'username',
  'fetch',
  'now',
])
/** Headers the notifier writes itself (lower case), and why a caller cannot. */
const RESERVED_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'the notifier sends JSON and says so',
  'webhook-id': 'it carries the notification id',
  'webhook-timestamp': 'it is part of the signature',
  'webhook-signature': 'it is the signature',
  'content-length': 'HTTP sets it',
  'transfer-encoding': 'HTTP sets it',
  host: 'HTTP sets it',
  connection: 'HTTP sets it',
}
/** An HTTP header name: RFC 9110 `token`. */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/
/** A header value may not break the header block. */
const HEADER_VALUE_FORBIDDEN = /[\r\n\0]/
/** Header values shorter than this are not worth redacting (and redacting them would garble messages). */
const MIN_SENSITIVE_LENGTH = 6
const SECRET_PREFIX = 'whsec_'
const MAX_USERNAME_LENGTH = 80

/**
 * Checks every option and fills in the defaults.
 * @throws {@link ConfigError} naming the option, never echoing the URL, a secret or a header value.
 */
export function resolveOptions(options: WebhookNotifierOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError(
      `[${NAME}] Expected options to be an object with a \`url\`, got ${describe(options)}.`,
    )
  }
  const unknown = Object.keys(options).filter((key) => !KNOWN_OPTIONS.has(key))
  if (unknown.length > 0) {
    throw new ConfigError(
      `[${NAME}] Unknown option ${unknown.map((key) => `\`${truncate(key)}\``).join(', ')}. ` +
        `Known options: ${[...KNOWN_OPTIONS].map((key) => `\`${key}\``).join(', ')}.`,
    )
  }
  const url = checkUrl(options.url)
  const secrets = checkSecrets(options.secret)
  const format = checkFormat(options.format)
  const headers = checkHeaders(options.headers)
  if (options.includeStripeEvents !== undefined && typeof options.includeStripeEvents !== 'boolean') {
    throw new ConfigError(
      `[${NAME}] Expected \`includeStripeEvents\` to be a boolean, got ${describe(options.includeStripeEvents)}.`,
    )
  }
  if (options.includeStripeEvents !== undefined && format !== 'json') {
    throw new ConfigError(
      `[${NAME}] Expected \`includeStripeEvents\` only with \`format: 'json'\`, got it with \`format: '${format}'\`. ` +
        'Slack and Discord messages never carry the raw Stripe events: remove the option.',
    )
  }
  checkUsername(options.username, format)
  for (const name of ['fetch', 'now'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new ConfigError(
        `[${NAME}] Expected \`${name}\` to be a function, got ${describe(options[name])}.`,
      )
    }
  }
  return {
    url,
    host: url.host,
    keys: secrets.map((secret) => Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64')),
    format,
    timeoutMs: checkTimeout(options.timeoutMs),
    headers,
    includeStripeEvents: options.includeStripeEvents ?? false,
    username: options.username,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    now: options.now ?? Date.now,
    sensitive: sensitiveStrings(options.url, url, secrets, headers),
  }
}

function checkUrl(value: unknown): URL {
  if (value === undefined || value === '') {
    throw new ConfigError(`[${NAME}] Missing required option \`url\`.`)
  }
  if (typeof value !== 'string') {
    throw new ConfigError(`[${NAME}] Expected \`url\` to be a string, got ${describe(value)}.`)
  }
  // The URL is never echoed back: incoming-webhook URLs (Slack, Discord) carry their own credential.
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError(
      `[${NAME}] Expected \`url\` to be an absolute http(s) URL, got a string that is not a URL. ` +
        'Pass the full address, e.g. `https://example.com/hooks/cashnotify`.',
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`[${NAME}] Expected \`url\` to use http: or https:, got \`${url.protocol}\`.`)
  }
  if (url.username !== '' || url.password !== '') {
    throw new ConfigError(
      `[${NAME}] Expected \`url\` without a user name or password, got a URL with credentials. ` +
        'Send them in `headers` instead, e.g. `{ authorization: "Basic …" }`.',
    )
  }
  return url
}

function checkSecrets(value: unknown): readonly string[] {
  if (value === undefined) return []
  if (Array.isArray(value)) {
    if (value.length === 0) {
      throw new ConfigError(
        `[${NAME}] Expected \`secret\` to hold at least one secret, got an empty array. ` +
          'Leave the option out to send unsigned requests.',
      )
    }
    value.forEach((secret: unknown, index) => {
      checkSecret(secret, `secret[${index}]`)
    })
    return value as string[]
  }
  checkSecret(value, 'secret')
  return [value as string]
}

function checkSecret(secret: unknown, option: string): void {
  if (!isSigningSecret(secret)) {
    // The secret is never echoed back, not even in part.
    throw new ConfigError(
      `[${NAME}] Expected \`${option}\` to be a Standard Webhooks secret (\`whsec_\` followed by base64), ` +
        'got a value of another shape. Copy the secret exactly as the receiving service shows it.',
    )
  }
}

/** `whsec_` and canonical base64 (padded to a multiple of 4), as the Standard Webhooks libraries decode it. */
function isSigningSecret(secret: unknown): boolean {
  return (
    typeof secret === 'string' &&
    /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret) &&
    (secret.length - SECRET_PREFIX.length) % 4 === 0
  )
}

function checkFormat(value: unknown): WebhookFormat {
  if (value === undefined) return 'json'
  if (!FORMATS.includes(value as WebhookFormat)) {
    throw new ConfigError(
      `[${NAME}] Expected \`format\` to be one of ${FORMATS.map((f) => `\`${f}\``).join(', ')}, ` +
        `got ${typeof value === 'string' ? `\`${truncate(value)}\`` : describe(value)}.`,
    )
  }
  return value as WebhookFormat
}

function checkTimeout(value: unknown): number {
  if (value === undefined) return DEFAULT_TIMEOUT_MS
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_TIMEOUT_MS) {
    throw new ConfigError(
      `[${NAME}] Expected \`timeoutMs\` to be an integer from 1 to ${MAX_TIMEOUT_MS} (ms), ` +
        `got ${typeof value === 'number' ? String(value) : describe(value)}.`,
    )
  }
  return value
}

function checkHeaders(value: unknown): Readonly<Record<string, string>> {
  if (value === undefined) return {}
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Headers) {
    throw new ConfigError(
      `[${NAME}] Expected \`headers\` to be a plain object of header names to strings, got ${describe(value)}.`,
    )
  }
  const headers: Record<string, string> = {}
  for (const [name, headerValue] of Object.entries(value)) {
    if (!HEADER_NAME.test(name)) {
      throw new ConfigError(
        `[${NAME}] Expected \`headers\` to hold valid HTTP header names, got ${JSON.stringify(truncate(name))}.`,
      )
    }
    const reason = RESERVED_HEADERS[name.toLowerCase()]
    if (reason !== undefined) {
      throw new ConfigError(
        `[${NAME}] Expected \`headers\` not to set \`${name}\`: the notifier sets it itself (${reason}). ` +
          'Remove it from `headers`.',
      )
    }
    // The value is never echoed: it is often a credential (`authorization`, `x-api-key`).
    if (typeof headerValue !== 'string' || HEADER_VALUE_FORBIDDEN.test(headerValue)) {
      throw new ConfigError(
        `[${NAME}] Expected header \`${name}\` to be a string without line breaks, got ` +
          `${typeof headerValue === 'string' ? 'a string with a line break' : describe(headerValue)}.`,
      )
    }
    headers[name] = headerValue
  }
  return headers
}

function checkUsername(value: unknown, format: WebhookFormat): void {
  if (value === undefined) return
  if (format !== 'discord') {
    throw new ConfigError(
      `[${NAME}] Expected \`username\` only with \`format: 'discord'\`, got it with \`format: '${format}'\`. ` +
        'Remove the option, or set `format` to `discord`.',
    )
  }
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_USERNAME_LENGTH) {
    throw new ConfigError(
      `[${NAME}] Expected \`username\` to be a non-empty string of at most ${MAX_USERNAME_LENGTH} characters, ` +
        `got ${typeof value === 'string' ? `${value.length} characters` : describe(value)}.`,
    )
  }
}

/** What must never appear in an error: the URL in its forms, the secrets, credential-like header values. */
function sensitiveStrings(
  raw: string,
  url: URL,
  secrets: readonly string[],
  headers: Readonly<Record<string, string>>,
): string[] {
  const path = `${url.pathname}${url.search}`
  const candidates = [
    raw,
    url.href,
    path === '/' ? '' : path,
    url.search.slice(1),
    ...secrets,
    ...secrets.map((secret) => secret.slice(SECRET_PREFIX.length)),
    ...Object.values(headers),
  ]
  // Longest first, so a URL is replaced whole before its path is.
  return [...new Set(candidates.filter((text) => text.length >= MIN_SENSITIVE_LENGTH))].sort(
    (a, b) => b.length - a.length,
  )
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value
}

function truncate(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}
