import type { Notification, NotifierContext, NotifierFactory } from '@cashnotify/core/notifier'
import { closedError, sendFailure } from './errors.js'
import { IconCache } from './icon-cache.js'
import { type DesktopNotifierOptions, NAME } from './options.js'
import { platformDriver } from './platform/index.js'
import type { DesktopMessage } from './platform/types.js'
import { resolveOptions } from './resolve-options.js'

/**
 * Shows each notification as a native desktop notification: notify-send (freedesktop notifications over
 * D-Bus) on Linux and the BSDs, terminal-notifier or osascript on macOS, a PowerShell toast on Windows.
 * The account's logo is the icon (cached on disk), and a click opens the Stripe dashboard where the
 * platform allows it.
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

  return {
    name: NAME,
    // A person reads notifications one after another, in the order they came.
    concurrency: 1,
    async send(notification: Notification, context: NotifierContext): Promise<void> {
      if (closed) throw closedError()
      context.signal.throwIfAborted()
      const deadline = new AbortController()
      const timer = setTimeout(
        () => deadline.abort(new Error(`timed out after ${resolved.timeoutMs} ms`)),
        resolved.timeoutMs,
      )
      const signal = AbortSignal.any([context.signal, deadline.signal])
      try {
        const iconPath = await icons.pathFor(notification.account.logo, signal)
        await driver.show(message(notification, iconPath, resolved.openOnClick), signal)
      } catch (error) {
        throw sendFailure(error, { caller: context.signal, deadline: deadline.signal }, resolved.timeoutMs)
      } finally {
        clearTimeout(timer)
      }
    },
    async close(): Promise<void> {
      closed = true
      await driver.close()
    },
  }
}

/** What the platform shows: the notification's text and link (http and https links only). */
function message(
  notification: Notification,
  iconPath: string | undefined,
  openOnClick: boolean,
): DesktopMessage {
  const url =
    openOnClick && notification.url && /^https?:\/\//i.test(notification.url) ? notification.url : undefined
  return { id: notification.id, title: notification.title, body: notification.body, iconPath, url }
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
