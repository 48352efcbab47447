import type { Notifier, NotifierFactory } from '@cashnotify/core'
import { ConfigError } from '@cashnotify/core'

/** The notifier's name, as it appears in logs, errors and dead letters. */
export const NAME = 'desktop'

/** Options of {@link desktopNotifier}. Every field is optional: `desktopNotifier()` just works. */
export interface DesktopNotifierOptions {
  /**
   * The application name the notification is shown under.
   * @default 'CashNotify'
   */
  appName?: string
  /**
   * Play the system's notification sound.
   * @default false
   */
  sound?: boolean
}

/**
 * Shows each notification as a native desktop notification (macOS, Windows, Linux).
 *
 * This package is a skeleton for now: the options are validated, sending lands with the notifiers issue.
 * @example
 * ```ts
 * const notifier = desktopNotifier({ sound: true })
 * ```
 */
export const desktopNotifier = ((options: DesktopNotifierOptions = {}): Notifier => {
  resolveOptions(options)
  return { name: NAME, send: notImplemented }
}) satisfies NotifierFactory<DesktopNotifierOptions>

function resolveOptions(options: DesktopNotifierOptions): Required<DesktopNotifierOptions> {
  if (options === null || typeof options !== 'object') {
    throw new ConfigError(
      `[${NAME}] Expected options to be an object or undefined, got ${describe(options)}.`,
    )
  }
  const { appName = 'CashNotify', sound = false } = options
  if (typeof appName !== 'string' || appName.trim() === '') {
    throw new ConfigError(`[${NAME}] Expected \`appName\` to be a non-empty string, got ${show(appName)}.`)
  }
  if (typeof sound !== 'boolean') {
    throw new ConfigError(`[${NAME}] Expected \`sound\` to be a boolean, got ${show(sound)}.`)
  }
  return { appName, sound }
}

function describe(value: unknown): string {
  return value === null ? 'null' : typeof value
}

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
