/** The emitter of an instance, and what becomes of a listener that throws. */
import { SafeEmitter } from '../shared/emitter.js'
import { CashNotifyError } from '../shared/errors.js'
import type { CashNotifyEvents } from './events.js'

/**
 * The instance's emitter: a listener that throws (or rejects) is reported as a `listener_failed` error,
 * with `fromErrorListener` set when it was an `error` listener (that one goes to the logger).
 */
export function instanceEmitter(
  report: (error: CashNotifyError, fromErrorListener: boolean) => void,
): SafeEmitter<CashNotifyEvents> {
  return new SafeEmitter<CashNotifyEvents>((error, event) => {
    const message = `A listener of "${String(event)}" threw: ${error instanceof Error ? error.message : String(error)}`
    report(new CashNotifyError(message, { code: 'listener_failed', cause: error }), event === 'error')
  })
}
