/**
 * One call of a notifier's `send`, bounded by a timeout, and what its failure means for delivery.
 */
import { NotifierError } from '../shared/errors.js'
import type { Deliverable, Notifier } from './notifier.js'
import { isDigestNotification } from './serialize.js'

/** How one send ended. */
export type SendOutcome = { readonly ok: true } | { readonly ok: false; readonly error: unknown }

/** Any rejection as a {@link NotifierError}: one that says nothing about retrying counts as retryable. */
export function asNotifierError(notifier: string, error: unknown): NotifierError {
  if (error instanceof NotifierError) return error
  const message = error instanceof Error ? error.message : String(error)
  return new NotifierError(`Send failed: ${message}`, { notifier, cause: error })
}

/** The code a dead letter shows: the error's own (`ECONNREFUSED` …) or `notifier_failed`. */
export function errorCode(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? Reflect.get(error, 'code') : undefined
  return typeof code === 'string' ? code : 'notifier_failed'
}

/**
 * Calls the notifier, racing it against the signal: the timeout aborts the signal, and a notifier that
 * ignores the signal still loses its slot then; its late answer is dropped. Never rejects.
 */
export async function sendOnce(
  notifier: Notifier,
  notification: Deliverable,
  options: { readonly attempt: number; readonly controller: AbortController; readonly timeoutMs: number },
): Promise<SendOutcome> {
  const { attempt, controller, timeoutMs } = options
  const timer = setTimeout(() => {
    const error = new NotifierError(`No answer within ${timeoutMs} ms; the send was aborted.`, {
      notifier: notifier.name,
    })
    controller.abort(error)
  }, timeoutMs)
  let onAbort = (): void => {}
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(controller.signal.reason)
    controller.signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    let sending: Promise<void>
    try {
      const context = { signal: controller.signal, attempt }
      // A digest reaches only notifiers that have `sendDigest`: delivery never queues one for the others.
      sending = Promise.resolve(
        isDigestNotification(notification)
          ? notifier.sendDigest?.(notification, context)
          : notifier.send(notification, context),
      )
    } catch (error) {
      sending = Promise.reject(error)
    }
    sending.catch(() => {}) // a send that settles after its timeout must not become an unhandled rejection
    await Promise.race([sending, aborted])
    return { ok: true }
  } catch (error) {
    return { ok: false, error }
  } finally {
    clearTimeout(timer)
    controller.signal.removeEventListener('abort', onAbort)
  }
}
