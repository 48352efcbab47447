import type { Notification } from '@cashnotify/core/notifier'
import { abortedError, windowAbortedError } from './errors.js'

/** Sends the notifications of one window (one or more) as one e-mail. */
export type SendBatch = (notifications: readonly Notification[], signal: AbortSignal) => Promise<void>

interface Waiter {
  readonly resolve: () => void
  readonly reject: (error: unknown) => void
  readonly signal: AbortSignal
  readonly onAbort: () => void
}

/** One notification of a window, and every `send()` waiting for it (a retry of the same id joins it). */
interface Entry {
  readonly notification: Notification
  readonly waiters: Set<Waiter>
}

interface Window {
  readonly entries: Map<string, Entry>
  readonly timer: ReturnType<typeof setTimeout>
}

/**
 * Holds notifications until their window ends, then sends them as one e-mail. Each `add()` settles with
 * that e-mail: it resolves only once the SMTP server accepted the batch holding its notification.
 *
 * - A window opens with the first notification that arrives while none is open and lasts `everyMs`.
 * - A signal that aborts while its notification waits takes the notification out of the window (it is not
 *   sent) and rejects at once; one that aborts while the batch is being sent rejects at once, and the
 *   send itself is cancelled only when every notification in it was aborted.
 * - {@link close} sends the open window now and waits for every batch in flight.
 */
export class Batch {
  readonly #everyMs: number
  readonly #sendBatch: SendBatch
  #window: Window | undefined
  readonly #inFlight = new Set<Promise<void>>()

  constructor(everyMs: number, sendBatch: SendBatch) {
    this.#everyMs = everyMs
    this.#sendBatch = sendBatch
  }

  /** Queues a notification for the current window; settles when the batch holding it is sent, or fails. */
  add(notification: Notification, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(abortedError(signal))
    const window = this.#window ?? this.#open()
    let entry = window.entries.get(notification.id)
    if (!entry) {
      entry = { notification, waiters: new Set() }
      window.entries.set(notification.id, entry)
    }
    const held = entry
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          held.waiters.delete(waiter)
          // Still waiting for its window: leave the window too, so it is not sent.
          if (held.waiters.size === 0 && this.#window?.entries.get(notification.id) === held) {
            this.#window.entries.delete(notification.id)
            if (this.#window.entries.size === 0) this.#discard()
          }
          reject(windowAbortedError(this.#everyMs, signal))
        },
      }
      held.waiters.add(waiter)
      signal.addEventListener('abort', waiter.onAbort, { once: true })
    })
  }

  /** Sends the open window now, if there is one, and waits for every batch in flight. */
  async flush(): Promise<void> {
    const window = this.#window
    if (window) {
      clearTimeout(window.timer)
      this.#window = undefined
      this.#send(window)
    }
    await Promise.all(this.#inFlight)
  }

  #open(): Window {
    const window: Window = {
      entries: new Map(),
      timer: setTimeout(() => {
        if (this.#window === window) {
          this.#window = undefined
          this.#send(window)
        }
      }, this.#everyMs),
    }
    this.#window = window
    return window
  }

  #discard(): void {
    if (this.#window) clearTimeout(this.#window.timer)
    this.#window = undefined
  }

  #send(window: Window): void {
    const entries = [...window.entries.values()].filter((entry) => entry.waiters.size > 0)
    if (entries.length === 0) return
    const cancel = new AbortController()
    // Each waiter's listener while the e-mail is in flight: an abort rejects that send() only, and the
    // e-mail is cancelled once nobody waits for it any more.
    const pending = new Map<Waiter, () => void>()
    for (const entry of entries) {
      for (const waiter of entry.waiters) {
        waiter.signal.removeEventListener('abort', waiter.onAbort)
        const onAbort = () => {
          if (!pending.delete(waiter)) return
          waiter.reject(abortedError(waiter.signal))
          if (pending.size === 0) cancel.abort(waiter.signal.reason)
        }
        pending.set(waiter, onAbort)
        waiter.signal.addEventListener('abort', onAbort, { once: true })
      }
    }
    const finish = (how: (waiter: Waiter) => void) => {
      for (const [waiter, onAbort] of pending) {
        waiter.signal.removeEventListener('abort', onAbort)
        how(waiter)
      }
      pending.clear()
    }
    const sending = this.#sendBatch(
      entries.map((entry) => entry.notification),
      cancel.signal,
    ).then(
      () => finish((waiter) => waiter.resolve()),
      (error: unknown) => finish((waiter) => waiter.reject(error)),
    )
    this.#inFlight.add(sending)
    void sending.finally(() => this.#inFlight.delete(sending))
  }
}
