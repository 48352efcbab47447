/** Time and chance, injected: fake-timer tests drive every timer that matters through them. */

/** The clock and random source of an instance. */
export interface Clock {
  /** ms since epoch. */
  readonly now: () => number
  /** A number in [0, 1), for jitter. */
  readonly random: () => number
}

/** Waits `ms`, or less when `signal` aborts (then it rejects with the abort reason). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}
