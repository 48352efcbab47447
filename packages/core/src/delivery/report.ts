/** How delivery reports: every event to the app's listener, a listener that throws logged, never thrown. */
import { CashNotifyError } from '../shared/errors.js'
import type { Notifier } from './notifier.js'
import type { DeliveryEvent, DeliveryOptions } from './types.js'

/** Delivery's two ways to report. */
export interface DeliveryReport {
  /** Hands an event to the listener. */
  emit(event: DeliveryEvent): void
  /** Reports that delivery could not do `what`, as an `error` event. */
  fail(what: string, cause: unknown, code?: 'internal' | 'listener_failed'): void
}

/** The report of a delivery with these options. */
export function deliveryReport({
  onEvent,
  logger,
}: Pick<DeliveryOptions, 'onEvent' | 'logger'>): DeliveryReport {
  const emit = (event: DeliveryEvent): void => {
    try {
      onEvent(event)
    } catch (error) {
      logger.error(`A delivery event listener threw: ${String(error)}`, { event: event.type })
    }
  }
  return {
    emit,
    fail(what, cause, code = 'internal') {
      const reason = cause === undefined ? '' : `: ${cause instanceof Error ? cause.message : String(cause)}`
      emit({
        type: 'error',
        error: new CashNotifyError(`Delivery could not ${what}${reason}`, {
          code,
          ...(cause === undefined ? {} : { cause }),
        }),
      })
    },
  }
}

/** Waits for `settled`, but no longer than `timeoutMs`; the timer is cleared either way. */
export async function within(settled: Promise<unknown>, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs)
  })
  await Promise.race([settled, deadline])
  clearTimeout(timer)
}

/** Calls every notifier's `close()`; one that throws is reported and does not stop the others. */
export async function closeNotifiers(notifiers: readonly Notifier[], report: DeliveryReport): Promise<void> {
  await Promise.all(
    notifiers.map(async (notifier) => {
      try {
        await notifier.close?.()
      } catch (error) {
        report.fail(`close notifier ${notifier.name}`, error)
      }
    }),
  )
}
