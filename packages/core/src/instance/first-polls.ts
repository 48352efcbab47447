/**
 * The first polls of `start()`, spread evenly over one interval. Starting a poller arms its timer and
 * its abort signal, some microseconds each: 10,000 of them in one go held the event loop 64 ms, so they
 * are started in slices with the event loop free between.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'

/** Pollers started between two turns of the event loop. */
const SLICE = 500

/** Starts each poller, the i-th of n after i × interval ÷ n ms; no more once `running()` turns false. */
export async function startSpread(
  pollers: readonly { start(delayMs: number): void }[],
  intervalMs: number,
  running: () => boolean,
): Promise<void> {
  const step = intervalMs / Math.max(1, pollers.length)
  for (const [i, poller] of pollers.entries()) {
    if (i > 0 && i % SLICE === 0) await yieldToEventLoop()
    if (!running()) return // stopped meanwhile: its stop() has stopped the pollers started so far
    poller.start(Math.round(i * step))
  }
}
