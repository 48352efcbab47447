import { invalidOption } from '@cashnotify/core/notifier'
import { createTransport } from 'nodemailer'
import { toNotifierError } from './errors.js'
import { NAME, type SmtpOptions } from './options.js'
import { resolveSmtpOptions } from './resolve-options.js'
import { nodemailerOptions } from './transport.js'

/** Options of {@link checkSmtp}. */
export interface CheckSmtpOptions {
  /**
   * How long connecting, the server's greeting and each reply may take, in ms.
   * @default 10000
   */
  timeoutMs?: number
}

/**
 * Connects to the SMTP server, upgrades to TLS when configured, logs in when `auth` is given, and quits,
 * without sending anything: call it at start-up to learn at once that the server is unreachable or
 * refuses the credentials, rather than at the first sale. Resolves when all of that worked.
 *
 * @throws `ConfigError` (from `@cashnotify/core`) when an option is invalid.
 * @throws `NotifierError` (from `@cashnotify/core`) saying what failed; `retryable` tells whether a later
 * try can succeed (a server down: yes; refused credentials: no). The password is never in it.
 * @example
 * ```ts
 * await checkSmtp({ host: 'smtp.example.com', auth: { user: 'sales', pass: process.env.SMTP_PASS ?? '' } })
 * ```
 */
export async function checkSmtp(smtp: SmtpOptions, options: CheckSmtpOptions = {}): Promise<void> {
  const resolved = resolveSmtpOptions(smtp)
  const timeoutMs = options.timeoutMs ?? 10_000
  if (typeof timeoutMs !== 'number' || !(timeoutMs > 0) || !Number.isFinite(timeoutMs)) {
    throw invalidOption(NAME, 'timeoutMs', 'a positive number of milliseconds', timeoutMs)
  }
  const transporter = createTransport(
    nodemailerOptions(
      { ...resolved, pool: false },
      { connectionTimeout: timeoutMs, greetingTimeout: timeoutMs, socketTimeout: timeoutMs },
    ),
  )
  try {
    await transporter.verify()
  } catch (error) {
    throw toNotifierError(error, resolved)
  } finally {
    transporter.close()
  }
}
