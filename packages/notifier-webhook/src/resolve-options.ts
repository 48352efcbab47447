/**
 * The options checked once, with one schema, through core's `parseOptions`: every problem is listed at
 * once, and the URL, a secret or a header value is never echoed (each shows as `…`).
 */
import { invalidOption, parseOptions } from '@cashnotify/core/notifier'
import { z } from 'zod'
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
const FORMATS = ['json', 'slack', 'discord'] as const satisfies readonly WebhookFormat[]
/** Headers the notifier writes itself (lower case), and why a caller cannot. */
const RESERVED_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'it sends JSON and says so',
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
const SECRET = 'a Standard Webhooks secret (`whsec_` followed by base64)'

type Payload = z.core.ParsePayload<unknown>

/** Adds the house sentence's parts as a zod issue; `got` is what the message shows of the value. */
function problem(payload: Payload, path: PropertyKey[], what: string, got: unknown): void {
  payload.issues.push({ code: 'custom', message: what, input: got, path })
}

/** What a message shows of a string it must not echo: `…`, and whether it held a line break. */
function hidden(text: string): string {
  return HEADER_VALUE_FORBIDDEN.test(text) ? '…\n…' : '…'
}

function checkUrl(payload: Payload): void {
  const { value } = payload
  const what = 'an absolute http(s) URL, e.g. `https://example.com/hooks/cashnotify`'
  if (typeof value !== 'string' || !URL.canParse(value)) {
    problem(payload, [], what, typeof value === 'string' && value !== '' ? '…' : value)
    return
  }
  // Incoming-webhook URLs (Slack, Discord) carry their own credential: only the scheme is ever shown.
  const url = new URL(value)
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    problem(payload, [], what, `${url.protocol}//…`)
  } else if (url.username !== '' || url.password !== '') {
    problem(
      payload,
      [],
      'a URL without a user name or password (send them in `headers`)',
      `${url.protocol}//…@…`,
    )
  }
}

/** `whsec_` and canonical base64 (padded to a multiple of 4), as the Standard Webhooks libraries decode it. */
function isSigningSecret(secret: unknown): secret is string {
  return (
    typeof secret === 'string' &&
    /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(secret) &&
    (secret.length - SECRET_PREFIX.length) % 4 === 0
  )
}

/** A secret is never echoed, not even in part: at most its prefix. */
function shownSecret(secret: unknown): unknown {
  if (typeof secret !== 'string' || secret === '') return secret
  return secret.startsWith(SECRET_PREFIX) ? `${SECRET_PREFIX}…` : '…'
}

function checkSecrets(payload: Payload): void {
  const { value } = payload
  if (!Array.isArray(value)) {
    if (!isSigningSecret(value)) problem(payload, [], `${SECRET}, or an array of them`, shownSecret(value))
    return
  }
  if (value.length === 0) {
    problem(payload, [], 'one secret or more (leave the option out to send unsigned requests)', value)
  }
  value.forEach((secret: unknown, index) => {
    if (!isSigningSecret(secret)) problem(payload, [index], SECRET, shownSecret(secret))
  })
}

function checkHeaders(payload: Payload): void {
  const { value } = payload
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Headers) {
    problem(payload, [], 'a plain object of header names to strings', value)
    return
  }
  for (const [name, headerValue] of Object.entries(value)) {
    const reserved = RESERVED_HEADERS[name.toLowerCase()]
    if (!HEADER_NAME.test(name)) problem(payload, [], 'an object of valid HTTP header names', name)
    else if (reserved !== undefined) {
      const what = `left out: the notifier sets it itself (${reserved})`
      problem(payload, [name], what, typeof headerValue === 'string' ? hidden(headerValue) : headerValue)
    } else if (typeof headerValue !== 'string' || HEADER_VALUE_FORBIDDEN.test(headerValue)) {
      // The value is never echoed: it is often a credential (`authorization`, `x-api-key`).
      const got = typeof headerValue === 'string' ? hidden(headerValue) : headerValue
      problem(payload, [name], 'a string without line breaks', got)
    }
  }
}

/** Options that only mean something with one format. */
function checkFormatOnly(options: Record<string, unknown>, payload: z.RefinementCtx): void {
  const format = FORMATS.find((f) => f === (options.format ?? 'json'))
  if (format === undefined) return
  const only = (option: string, wanted: WebhookFormat, why: string): void => {
    if (options[option] === undefined || format === wanted) return
    payload.addIssue({
      code: 'custom',
      path: [option],
      message: `left out unless \`format\` is '${wanted}' (${why})`,
      input: options[option],
    })
  }
  only('includeStripeEvents', 'json', 'Slack and Discord messages never carry the raw Stripe events')
  only('username', 'discord', 'it names the Discord webhook')
}

const isFunction = (value: unknown): boolean => typeof value === 'function'

const schema = z
  .strictObject({
    url: z.custom<string>().check(checkUrl),
    secret: z.custom<string | readonly string[]>().check(checkSecrets).exactOptional(),
    format: z.enum(FORMATS).default('json'),
    timeoutMs: z.number().int().min(1).max(MAX_TIMEOUT_MS).default(DEFAULT_TIMEOUT_MS),
    headers: z.custom<Readonly<Record<string, string>>>().check(checkHeaders).default({}),
    includeStripeEvents: z.boolean().exactOptional(),
    username: z
      .string()
      .max(MAX_USERNAME_LENGTH)
      .refine((name) => name.trim() !== '', 'a name that is not blank')
      .exactOptional(),
    fetch: z.custom<typeof fetch>(isFunction, { message: 'a function' }).exactOptional(),
    now: z.custom<() => number>(isFunction, { message: 'a function' }).exactOptional(),
  })
  // Run even when a field failed, so that every problem is listed at once.
  .superRefine((options, payload) => checkFormatOnly(options, payload), { when: () => true })

/**
 * Checks every option and fills in the defaults.
 * @throws `ConfigError` listing every problem, never echoing the URL, a secret or a header value.
 */
export function resolveOptions(options: WebhookNotifierOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidOption(
      NAME,
      'options',
      'an object with a `url`',
      typeof options === 'string' ? '…' : options,
    )
  }
  const parsed = parseOptions(schema, options, { name: NAME })
  const url = new URL(parsed.url)
  const secrets = parsed.secret === undefined ? [] : [parsed.secret].flat()
  const headers = { ...parsed.headers }
  return {
    url,
    host: url.host,
    keys: secrets.map((secret) => Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64')),
    format: parsed.format,
    timeoutMs: parsed.timeoutMs,
    headers,
    includeStripeEvents: parsed.includeStripeEvents ?? false,
    username: parsed.username,
    fetch: parsed.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    now: parsed.now ?? Date.now,
    sensitive: sensitiveStrings(parsed.url, url, secrets, headers),
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
