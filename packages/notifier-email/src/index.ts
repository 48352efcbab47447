import type { NotifierFactory } from '@cashnotify/core'
import { ConfigError } from '@cashnotify/core'

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
   * Use TLS from the first byte (port 465). When false, the connection is upgraded with STARTTLS if the
   * server offers it.
   * @default false
   */
  secure?: boolean
  /**
   * The credentials, when the server asks for them.
   * @default undefined (no authentication)
   */
  auth?: { user: string; pass: string }
}

/**
 * Sends each notification as an e-mail through SMTP.
 *
 * This package is a skeleton for now: the options are validated, sending lands with the notifiers issue.
 * @example
 * ```ts
 * const notifier = emailNotifier({
 *   to: 'jane@example.com',
 *   from: 'CashNotify <sales@example.com>',
 *   smtp: { host: 'smtp.example.com', auth: { user: 'sales', pass: process.env.SMTP_PASS ?? '' } },
 * })
 * ```
 */
export const emailNotifier: NotifierFactory<EmailNotifierOptions> = (options) => {
  validateOptions(options)
  return { name: NAME, send: notImplemented }
}

function validateOptions(options: EmailNotifierOptions): void {
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
  if (options.smtp === null || typeof options.smtp !== 'object') {
    throw new ConfigError(`[${NAME}] Missing required option \`smtp\` (at least \`smtp.host\`).`)
  }
  if (typeof options.smtp.host !== 'string' || options.smtp.host.trim() === '') {
    throw new ConfigError(`[${NAME}] Missing required option \`smtp.host\`.`)
  }
  const { port } = options.smtp
  if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65_535)) {
    throw new ConfigError(
      `[${NAME}] Expected \`smtp.port\` to be an integer from 1 to 65535, got ${show(port)}.`,
    )
  }
}

/** `local@domain.tld`, optionally as `Display Name <local@domain.tld>`. Deliberately loose: the server decides. */
const ADDRESS = /^[^\s@<>",]+@[^\s@<>",]+\.[^\s@<>",]+$/

function isMailbox(value: unknown): boolean {
  if (typeof value !== 'string') return false
  const named = /^[^<>]*<([^<>]+)>$/.exec(value.trim())
  return ADDRESS.test(named?.[1] ?? value.trim())
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value
}

/** Shows a user-given value in a message; the password is never among the values shown. */
function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : describe(value)
}

function notImplemented(): Promise<never> {
  return Promise.reject(
    new Error(
      `[cashnotify] [${NAME}] Sending is not implemented in this skeleton yet; it lands with the notifiers issue.`,
    ),
  )
}
