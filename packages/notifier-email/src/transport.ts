import { createTransport, type SendMailOptions, type Transporter, type TransportOptions } from 'nodemailer'
import { abortedError, partlyRefused, toNotifierError } from './errors.js'
import type { ResolvedSmtpOptions } from './resolve-options.js'

/** The SMTP connection(s) of one notifier. */
export interface SmtpTransport {
  /**
   * Sends one e-mail; resolves once the server accepted it for every recipient. Rejects with a
   * {@link NotifierError}, at once when the signal aborts (nodemailer then closes that send's connection).
   */
  send(message: SendMailOptions, signal: AbortSignal): Promise<void>
  /** Closes idle connections now and the others once their current e-mail is done. */
  close(): void
}

/** The nodemailer options for these SMTP options: never logs, never reads files or URLs into a message. */
export function nodemailerOptions(
  smtp: ResolvedSmtpOptions,
  extra: Record<string, unknown> = {},
): TransportOptions & Record<string, unknown> {
  const tls =
    smtp.tls === undefined
      ? undefined
      : {
          ...(smtp.tls.rejectUnauthorized === undefined
            ? {}
            : { rejectUnauthorized: smtp.tls.rejectUnauthorized }),
          ...(smtp.tls.ca === undefined
            ? {}
            : { ca: typeof smtp.tls.ca === 'string' ? smtp.tls.ca : [...smtp.tls.ca] }),
          ...(smtp.tls.servername === undefined ? {} : { servername: smtp.tls.servername }),
        }
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.secure,
    requireTLS: smtp.requireTLS,
    ...(smtp.auth ? { auth: { user: smtp.auth.user, pass: smtp.auth.pass } } : {}),
    ...(tls ? { tls } : {}),
    ...(smtp.pool ? { pool: true, maxConnections: smtp.maxConnections } : {}),
    logger: false,
    debug: false,
    disableFileAccess: true,
    disableUrlAccess: true,
    ...extra,
  }
}

/** A nodemailer transport, pooled unless `smtp.pool` is false. */
export function smtpTransport(smtp: ResolvedSmtpOptions): SmtpTransport {
  const transporter: Transporter = createTransport(nodemailerOptions(smtp))
  return {
    async send(message, signal) {
      if (signal.aborted) throw abortedError(signal)
      let onAbort: (() => void) | undefined
      const aborted = new Promise<never>((_, reject) => {
        onAbort = () => reject(abortedError(signal))
        signal.addEventListener('abort', onAbort, { once: true })
      })
      try {
        const info = await Promise.race([transporter.sendMail({ ...message, signal }), aborted])
        const rejected = info.rejected ?? []
        if (rejected.length > 0) throw partlyRefused(info, smtp)
      } catch (error) {
        throw signal.aborted ? abortedError(signal) : toNotifierError(error, smtp)
      } finally {
        if (onAbort) signal.removeEventListener('abort', onAbort)
      }
    },
    close() {
      transporter.close()
    },
  }
}
