import type {
  DigestNotification,
  Notification,
  NotifierContext,
  NotifierFactory,
} from '@cashnotify/core/notifier'
import { Batch } from './batch.js'
import { digestMessage } from './digest-message.js'
import { abortedError, closedError } from './errors.js'
import { batchMessage, singleMessage } from './message.js'
import { type EmailNotifierOptions, NAME } from './options.js'
import { resolveOptions } from './resolve-options.js'
import { smtpTransport } from './transport.js'

/**
 * Sends each notification as an e-mail through SMTP (nodemailer): a subject from the notification's title,
 * an HTML part with the account's logo and a dashboard button, and a plain-text part. The notification id
 * is in the `X-CashNotify-Id` header and the Message-ID is derived from it, so a receiver can drop the copy
 * a retry sends.
 *
 * `sendDigest()` sends a digest (a day's or a week's summary) as its own e-mail: per currency the figures
 * next to the previous period's, and a chart of the sales inline (see the README's "Digests").
 *
 * With `batch`, the notifications of each window are sent as one e-mail, and `send()` resolves when that
 * e-mail is sent (see the README's "Batch mode"). `close()` sends the open window, then closes the pool;
 * a send after it rejects with a `NotifierError`.
 *
 * @throws `ConfigError` (from `@cashnotify/core`) when an option is invalid, listing every problem.
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
  const resolved = resolveOptions(options)
  const transport = smtpTransport(resolved.smtp)
  const sendBatch = (notifications: readonly Notification[], signal: AbortSignal): Promise<void> => {
    const [only] = notifications
    const message =
      notifications.length === 1 && only
        ? singleMessage(only, resolved)
        : batchMessage(notifications, resolved)
    return transport.send(message, signal)
  }
  const batch = resolved.batch ? new Batch(resolved.batch.everyMs, sendBatch) : undefined
  let closing: Promise<void> | undefined

  return {
    name: NAME,
    // A few messages at once over the pool's connections; an SMTP server throttles more.
    concurrency: 4,
    async send(notification: Notification, context: NotifierContext): Promise<void> {
      if (closing) {
        throw closedError()
      }
      if (context.signal.aborted) throw abortedError(context.signal)
      if (batch) return batch.add(notification, context.signal)
      return transport.send(singleMessage(notification, resolved), context.signal)
    },
    /** A digest is never batched: it is one e-mail already. */
    async sendDigest(digest: DigestNotification, context: NotifierContext): Promise<void> {
      if (closing) throw closedError()
      if (context.signal.aborted) throw abortedError(context.signal)
      const message = await digestMessage(digest, resolved)
      if (context.signal.aborted) throw abortedError(context.signal)
      return transport.send(message, context.signal)
    },
    close(): Promise<void> {
      closing ??= (async () => {
        try {
          await batch?.flush()
        } finally {
          transport.close()
        }
      })()
      return closing
    },
  }
}
