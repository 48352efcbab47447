import type { Notification } from '@cashnotify/core/notifier'
import { ConfigError } from '@cashnotify/core/notifier'

/** The notifier's name, as it appears in logs, errors and dead letters. */
export const NAME = 'email'

/** Options of {@link emailNotifier}. */
export interface EmailNotifierOptions {
  /** Who receives the notifications: one address or several, `jane@example.com` or `Jane <jane@example.com>`. */
  to: string | readonly string[]
  /** The sender, `sales@example.com` or `CashNotify <sales@example.com>`. */
  from: string
  /** The SMTP server that sends the mail. */
  smtp: SmtpOptions
  /**
   * Builds the subject of a one-notification e-mail. Line breaks are folded into spaces.
   * @default the notification's title, prefixed with `[Test]` for test-mode data: `[Test] $49.00 sale · Acme Inc`
   */
  subject?: (notification: Notification) => string
  /**
   * Batch the notifications of a time window into one e-mail instead of one e-mail each. `send()` resolves
   * only once the digest holding the notification is sent, so give this notifier a delivery timeout longer
   * than the window and enough sends in flight to fill one. See the README's "Digest mode".
   * @default undefined (one e-mail per notification)
   */
  digest?: DigestOptions
  /**
   * The IANA time zone dates are shown in, e.g. `Europe/Paris`.
   * @default 'UTC'
   */
  timeZone?: string
}

/** Where and how to reach the SMTP server. */
export interface SmtpOptions {
  /** The server's host name or IP address, e.g. `smtp.example.com`. */
  host: string
  /**
   * The server's port.
   * @default 587 (465 when `secure` is true)
   */
  port?: number
  /**
   * Use TLS from the first byte (usually port 465). When false, the connection is upgraded with STARTTLS
   * if the server offers it.
   * @default true when `port` is 465, false otherwise
   */
  secure?: boolean
  /**
   * Refuse to send unless the connection is upgraded with STARTTLS (ignored when `secure` is true).
   * Without it, a server (or a man in the middle) that does not offer STARTTLS gets the mail in clear.
   * @default false
   */
  requireTLS?: boolean
  /**
   * The credentials, when the server asks for them. The password never appears in an error message.
   * @default undefined (no authentication)
   */
  auth?: SmtpAuth
  /**
   * Keep connections open and re-use them for the next e-mails (a nodemailer pool).
   * @default true
   */
  pool?: boolean
  /**
   * At most this many connections at once, when `pool` is true.
   * @default 5
   */
  maxConnections?: number
  /**
   * TLS settings, for STARTTLS and `secure` alike.
   * @default undefined (Node's defaults: the certificate must be valid for `host`)
   */
  tls?: SmtpTlsOptions
}

/** SMTP credentials. */
export interface SmtpAuth {
  /** The user name, often the full e-mail address. */
  user: string
  /** The password or app password. */
  pass: string
}

/** TLS settings of the SMTP connection. */
export interface SmtpTlsOptions {
  /**
   * Refuse a server whose certificate cannot be verified. Setting it to false accepts any certificate,
   * including an attacker's: prefer `ca` for a private or self-signed certificate.
   * @default true
   */
  rejectUnauthorized?: boolean
  /**
   * Certificates (PEM) to trust besides the system's, e.g. a company CA or the server's self-signed one.
   * @default undefined (the system's trusted CAs)
   */
  ca?: string | readonly string[]
  /**
   * The name the certificate must be valid for, when it differs from `host` (e.g. connecting by IP).
   * @default the `host`, when it is a name
   */
  servername?: string
}

/** How notifications are batched in digest mode. */
export interface DigestOptions {
  /**
   * The length of a window, in minutes (1 to 1440). A window opens with the first notification that
   * arrives while none is open, and its e-mail is sent when it ends.
   */
  everyMinutes: number
  /**
   * Builds the subject of a digest of two notifications or more.
   * @default `5 notifications · Acme Inc`, or `5 notifications · 2 accounts`, prefixed with `[Test]` when all are test data
   */
  subject?: (notifications: readonly Notification[]) => string
}

/** The options with every default applied, as the rest of the package uses them. */
export interface ResolvedOptions {
  readonly to: readonly string[]
  readonly from: string
  readonly smtp: ResolvedSmtpOptions
  readonly subject: ((notification: Notification) => string) | undefined
  readonly digest: { readonly everyMs: number; readonly subject: DigestOptions['subject'] } | undefined
  readonly timeZone: string
}

/** {@link SmtpOptions} with defaults applied. */
export interface ResolvedSmtpOptions {
  readonly host: string
  readonly port: number
  readonly secure: boolean
  readonly requireTLS: boolean
  readonly auth: SmtpAuth | undefined
  readonly pool: boolean
  readonly maxConnections: number
  readonly tls: SmtpTlsOptions | undefined
}

/** Checks the options and applies the defaults; throws a {@link ConfigError} naming the first bad option. */
export function resolveOptions(options: EmailNotifierOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(
      `[${NAME}] Expected options to be an object with \`to\`, \`from\` and \`smtp\`, got ${describe(options)}.`,
    )
  }
  const recipients: readonly unknown[] = Array.isArray(options.to) ? options.to : [options.to]
  if (options.to === undefined || recipients.length === 0) {
    throw new ConfigError(`[${NAME}] Missing required option \`to\`.`)
  }
  for (const recipient of recipients) {
    if (!isMailbox(recipient)) {
      throw new ConfigError(
        `[${NAME}] Expected \`to\` to be an e-mail address such as \`jane@example.com\`, got ${show(recipient)}.`,
      )
    }
  }
  if (options.from === undefined) {
    throw new ConfigError(`[${NAME}] Missing required option \`from\`.`)
  }
  if (!isMailbox(options.from)) {
    throw new ConfigError(
      `[${NAME}] Expected \`from\` to be an e-mail address such as \`sales@example.com\`, got ${show(options.from)}.`,
    )
  }
  if (options.subject !== undefined && typeof options.subject !== 'function') {
    throw new ConfigError(
      `[${NAME}] Expected \`subject\` to be a function of the notification, got ${describe(options.subject)}.`,
    )
  }
  const timeZone = options.timeZone ?? 'UTC'
  if (!isTimeZone(timeZone)) {
    throw new ConfigError(
      `[${NAME}] Expected \`timeZone\` to be an IANA time zone such as \`Europe/Paris\`, got ${show(timeZone)}.`,
    )
  }
  return {
    to: recipients as string[],
    from: options.from,
    smtp: resolveSmtpOptions(options.smtp),
    subject: options.subject,
    digest: resolveDigest(options.digest),
    timeZone,
  }
}

/** Checks the `smtp` options and applies the defaults. */
export function resolveSmtpOptions(smtp: SmtpOptions): ResolvedSmtpOptions {
  if (smtp === null || typeof smtp !== 'object') {
    throw new ConfigError(`[${NAME}] Missing required option \`smtp\` (at least \`smtp.host\`).`)
  }
  if (typeof smtp.host !== 'string' || smtp.host.trim() === '') {
    throw new ConfigError(`[${NAME}] Missing required option \`smtp.host\`.`)
  }
  const { port } = smtp
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65_535)) {
    throw new ConfigError(
      `[${NAME}] Expected \`smtp.port\` to be an integer from 1 to 65535, got ${show(port)}.`,
    )
  }
  for (const flag of ['secure', 'requireTLS', 'pool'] as const) {
    if (smtp[flag] !== undefined && typeof smtp[flag] !== 'boolean') {
      throw new ConfigError(`[${NAME}] Expected \`smtp.${flag}\` to be a boolean, got ${show(smtp[flag])}.`)
    }
  }
  const { maxConnections } = smtp
  if (maxConnections !== undefined && !(Number.isInteger(maxConnections) && maxConnections >= 1)) {
    throw new ConfigError(
      `[${NAME}] Expected \`smtp.maxConnections\` to be an integer of at least 1, got ${show(maxConnections)}.`,
    )
  }
  if (smtp.auth !== undefined) {
    if (smtp.auth === null || typeof smtp.auth !== 'object') {
      throw new ConfigError(
        `[${NAME}] Expected \`smtp.auth\` to be \`{ user, pass }\`, got ${describe(smtp.auth)}.`,
      )
    }
    if (typeof smtp.auth.user !== 'string' || smtp.auth.user === '') {
      throw new ConfigError(
        `[${NAME}] Missing required option \`smtp.auth.user\` (or leave out \`smtp.auth\`).`,
      )
    }
    if (typeof smtp.auth.pass !== 'string') {
      // Never shown, not even its type's value: only that it is not a string.
      throw new ConfigError(
        `[${NAME}] Expected \`smtp.auth.pass\` to be a string, got ${describe(smtp.auth.pass)}.`,
      )
    }
  }
  if (smtp.tls !== undefined && (smtp.tls === null || typeof smtp.tls !== 'object')) {
    throw new ConfigError(
      `[${NAME}] Expected \`smtp.tls\` to be an object such as \`{ ca }\`, got ${describe(smtp.tls)}.`,
    )
  }
  const secure = smtp.secure ?? port === 465
  return {
    host: smtp.host.trim(),
    port: port ?? (secure ? 465 : 587),
    secure,
    requireTLS: smtp.requireTLS ?? false,
    auth: smtp.auth,
    pool: smtp.pool ?? true,
    maxConnections: maxConnections ?? 5,
    tls: smtp.tls,
  }
}

const MAX_DIGEST_MINUTES = 24 * 60

function resolveDigest(digest: DigestOptions | undefined): ResolvedOptions['digest'] {
  if (digest === undefined) return undefined
  if (digest === null || typeof digest !== 'object') {
    throw new ConfigError(
      `[${NAME}] Expected \`digest\` to be an object such as \`{ everyMinutes: 5 }\`, got ${describe(digest)}.`,
    )
  }
  const minutes = digest.everyMinutes
  if (!(Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_DIGEST_MINUTES)) {
    throw new ConfigError(
      `[${NAME}] Expected \`digest.everyMinutes\` to be a whole number from 1 to ${MAX_DIGEST_MINUTES}, got ${show(minutes)}.`,
    )
  }
  if (digest.subject !== undefined && typeof digest.subject !== 'function') {
    throw new ConfigError(
      `[${NAME}] Expected \`digest.subject\` to be a function of the notifications, got ${describe(digest.subject)}.`,
    )
  }
  return { everyMs: minutes * 60_000, subject: digest.subject }
}

/** `local@domain.tld`, optionally as `Display Name <local@domain.tld>`. Deliberately loose: the server decides. */
const ADDRESS = /^[^\s@<>",]+@[^\s@<>",]+\.[^\s@<>",]+$/

function isMailbox(value: unknown): boolean {
  if (typeof value !== 'string') return false
  const named = /^[^<>]*<([^<>]+)>$/.exec(value.trim())
  return ADDRESS.test(named?.[1] ?? value.trim())
}

function isTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || value === '') return false
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value })
    return true
  } catch {
    return false
  }
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value
}

/** Shows a user-given value in a message; the password is never among the values shown. */
function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value)
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return describe(value)
}
