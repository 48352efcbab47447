import {
  type AccountLogo,
  type DigestNotification,
  genericLogo,
  type Notification,
  type NotifierContext,
  type NotifierFactory,
} from '@cashnotify/core/notifier'
import { closedError, sendFailure } from './errors.js'
import { IconCache } from './icon-cache.js'
import { type DesktopNotifierOptions, NAME } from './options.js'
import { platformDriver } from './platform/index.js'
import type { DesktopMessage } from './platform/types.js'
import { resolveOptions } from './resolve-options.js'

/** Lines of a digest's body a popup shows: the rest is for the e-mail. */
const DIGEST_LINES = 2

/**
 * Shows each notification as a native desktop notification: notify-send (freedesktop notifications over
 * D-Bus) on Linux and the BSDs, terminal-notifier or osascript on macOS, a PowerShell toast on Windows.
 * The account's logo is the icon (cached on disk), and a click opens the Stripe dashboard where the
 * platform allows it. A digest (`sendDigest`) is one notification too: its title (`Acme Inc · Tuesday,
 * Nov 3: $1,240.00 from 18 sales`) and the first two lines of its body.
 *
 * A send rejects with a `NotifierError` that says what is missing and how to fix it when no
 * notification service can be reached: not retryable when something must be installed or configured,
 * retryable after 30 s when the service is there but not answering. After `close()`, a send rejects
 * (not retryable): the notifier does not start listening for clicks again.
 *
 * @throws `ConfigError` (code `config_invalid`) when an option is invalid, listing every problem.
 * @example
 * ```ts
 * const notifier = desktopNotifier({ sound: true })
 * ```
 */
export const desktopNotifier: NotifierFactory<DesktopNotifierOptions> = (options = {}) => {
  const resolved = resolveOptions(options)
  const icons = new IconCache({
    dir: resolved.cacheDir,
    fetch: resolved.fetch,
    logger: resolved.logger,
    downloadTimeoutMs: resolved.timeoutMs,
  })
  const driver = platformDriver(resolved)
  let closed = false

  /** Shows one message with the logo as icon, within the notifier's timeout. */
  const show = async (
    logo: AccountLogo,
    shown: Omit<DesktopMessage, 'iconPath'>,
    context: NotifierContext,
  ): Promise<void> => {
    if (closed) throw closedError()
    context.signal.throwIfAborted()
    const deadline = new AbortController()
    const timer = setTimeout(
      () => deadline.abort(new Error(`timed out after ${resolved.timeoutMs} ms`)),
      resolved.timeoutMs,
    )
    const signal = AbortSignal.any([context.signal, deadline.signal])
    try {
      const iconPath = await icons.pathFor(logo, signal)
      await driver.show({ ...shown, iconPath }, signal)
    } catch (error) {
      throw sendFailure(error, { caller: context.signal, deadline: deadline.signal }, resolved.timeoutMs)
    } finally {
      clearTimeout(timer)
    }
  }

  return {
    name: NAME,
    // A person reads notifications one after another, in the order they came.
    concurrency: 1,
    async send(notification: Notification, context: NotifierContext): Promise<void> {
      await show(notification.account.logo, message(notification, resolved.openOnClick), context)
    },
    /** A digest is one notification: its title, and the first two lines of its body (a popup is small). */
    async sendDigest(digest: DigestNotification, context: NotifierContext): Promise<void> {
      const logo = digest.digest.account?.logo ?? genericLogo()
      const body = digest.body
        .split('\n')
        .filter((line) => line.trim() !== '')
        .slice(0, DIGEST_LINES)
        .join('\n')
      await show(logo, { id: digest.id, title: digest.title, body, url: undefined }, context)
    },
    async close(): Promise<void> {
      closed = true
      await driver.close()
    },
  }
}

/** What the platform shows: the notification's text and link (http and https links only). */
function message(notification: Notification, openOnClick: boolean): Omit<DesktopMessage, 'iconPath'> {
  const url =
    openOnClick && notification.url && /^https?:\/\//i.test(notification.url) ? notification.url : undefined
  return { id: notification.id, title: notification.title, body: notification.body, url }
}

/**
 * Checks, without showing anything, that desktop notifications can be shown with these options: the
 * programs are there and (on Linux) a session bus can be found. Useful for a "doctor" command at
 * start-up. It cannot tell whether a notification daemon is running nor whether the user allowed
 * notifications: only a send can.
 *
 * @throws `NotifierError` saying what is missing and how to fix it.
 * @throws `ConfigError` when an option is invalid.
 * @example
 * ```ts
 * await checkDesktopNotifier().catch((error: Error) => console.warn(error.message))
 * ```
 */
export async function checkDesktopNotifier(options: DesktopNotifierOptions = {}): Promise<void> {
  await platformDriver(resolveOptions(options)).check()
}
