import { NotifierError, type NotifierErrorOptions } from '@cashnotify/core/notifier'
import { NAME } from './options.js'
import { CommandFailure } from './run.js'

/**
 * How long to wait before retrying when the notification service is missing or not answering: a daemon
 * or a session bus comes back when the desktop session (re)starts it, not within seconds.
 */
export const SERVICE_RETRY_AFTER_MS = 30_000

/** A `NotifierError` of this notifier. */
export function desktopError(
  message: string,
  options: Omit<NotifierErrorOptions, 'notifier'> = {},
): NotifierError {
  return new NotifierError(message, { notifier: NAME, ...options })
}

/**
 * The environment lacks something a person must install or configure (a program, a session bus): not
 * retryable, since retrying cannot install it. The message says what to do.
 */
export function setupError(message: string, cause?: unknown): NotifierError {
  return desktopError(message, { retryable: false, ...(cause === undefined ? {} : { cause }) })
}

/**
 * The notification service is there but not working right now (no daemon owns the name, the bus refuses
 * connections): retryable, after {@link SERVICE_RETRY_AFTER_MS}.
 */
export function serviceError(message: string, cause?: unknown): NotifierError {
  return desktopError(message, {
    retryable: true,
    retryAfterMs: SERVICE_RETRY_AFTER_MS,
    ...(cause === undefined ? {} : { cause }),
  })
}

/** A send after `close()`: the notifier does not start listening for clicks again. */
export function closedError(): NotifierError {
  return desktopError('This notifier was closed; create a new one with desktopNotifier().', {
    retryable: false,
  })
}

/**
 * What a failed send rejects with. The caller's abort wins, with the caller's own reason (as fetch
 * does); then the notifier's own `timeoutMs`, retryable; then a command that could not be run.
 */
export function sendFailure(
  error: unknown,
  signals: { readonly caller: AbortSignal; readonly deadline: AbortSignal },
  timeoutMs: number,
): unknown {
  if (signals.caller.aborted) return signals.caller.reason
  if (signals.deadline.aborted) {
    return desktopError(
      `The notification service did not take the notification within ${timeoutMs} ms ` +
        '(the notification daemon may be hung); the command was stopped.',
      { retryable: true, cause: error },
    )
  }
  if (error instanceof CommandFailure) {
    return desktopError(`Could not run ${error.command}: ${(error.cause as Error | undefined)?.message}`, {
      cause: error,
    })
  }
  return error
}

/** A GLib log line, e.g. `(notify-send:42): libnotify-WARNING **: 09:49:25.696: Failed to connect to proxy`. */
const GLIB_LOG_LINE = /^\(\S+:\d+\): [\w-]+-(WARNING|CRITICAL|DEBUG|INFO|MESSAGE) \*\*/

/** notify-send's remark when it cannot ask the server for its capabilities: never the reason of a failure. */
const NOISE = /^Actions are not supported by this notifications server/

/** The lines of a command's stderr that say something: GLib's log lines and known noise left out. */
export function meaningfulLines(stderr: string): string[] {
  return stderr
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !GLIB_LOG_LINE.test(l) && !NOISE.test(l))
}

/**
 * The first meaningful line of a command's stderr (else its first line), trimmed, without a final period,
 * and bounded, for an error message.
 */
export function firstLine(stderr: string): string {
  const line = (meaningfulLines(stderr)[0] ?? stderr.trim().split(/\r?\n/)[0] ?? '')
    .trim()
    .replace(/\.+$/, '')
  return line.length > 300 ? `${line.slice(0, 300)}…` : line
}
