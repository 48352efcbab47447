/**
 * One notifier's queue: its own concurrency, a timeout per send through the context's `AbortSignal`,
 * retries on timers, dead letters. Each notifier has its own, so a slow or failing one never holds up
 * another; nothing here awaits anything outside this notifier but the store.
 */
import { CashNotifyError, NotifierError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import { redactSecrets } from '../shared/redact.js'
import { backoffDelay } from '../stripe/retry.js'
import type { Entry } from './entry.js'
import type { Notifier } from './notifier.js'
import type { ResolvedNotifierOptions } from './notifier-options.js'
import type { DeliveryStore } from './outbox.js'
import { asNotifierError, errorCode, sendOnce } from './send.js'
import type { DeliveryEvent } from './types.js'

/** What a queue needs from delivery. */
export interface QueueDeps {
  readonly store: DeliveryStore
  readonly logger: Logger
  readonly now: () => number
  readonly random: () => number
  readonly emit: (event: DeliveryEvent) => void
}

interface Flight {
  readonly controller: AbortController
  /** Set when `stop()` aborted the send: not a failure of the notifier. */
  stopped?: boolean
  job?: Promise<void>
}

/** The queue of one notifier. */
export class NotifierQueue {
  /** The notifier fed by this queue. */
  readonly notifier: Notifier
  /** Its options, defaults filled in. */
  readonly options: ResolvedNotifierOptions
  readonly #deps: QueueDeps
  /** Ids of every entry held: ready, waiting for a retry, or in flight. */
  readonly #ids = new Set<string>()
  readonly #ready: Entry[] = []
  readonly #delayed = new Map<string, { entry: Entry; timer: ReturnType<typeof setTimeout> }>()
  readonly #flights = new Set<Flight>()
  #running = false
  /** The error that disabled the notifier, while it is disabled. */
  #disabledBy: NotifierError | undefined

  constructor(notifier: Notifier, options: ResolvedNotifierOptions, deps: QueueDeps) {
    this.notifier = notifier
    this.options = options
    this.#deps = deps
  }

  /** The notifier's name. */
  get name(): string {
    return this.notifier.name
  }

  /** Whether the notifier said its channel is gone; it gets nothing until re-enabled. */
  get disabled(): boolean {
    return this.#disabledBy !== undefined
  }

  /** Lets a disabled notifier send again (its dead letters are being replayed). */
  enable(): void {
    this.#disabledBy = undefined
    this.#pump()
  }

  /** Makes an entry for a disabled notifier a dead letter at once, so that a replay can still send it. */
  async refuse(entry: Entry): Promise<void> {
    if (this.#disabledBy) await this.#dead(entry, this.#disabledBy, this.#disabledBy)
  }

  /** Starts sending. */
  start(): void {
    this.#running = true
    this.#pump()
  }

  /** Queues an entry, now or when its retry is due; an entry already held is ignored. */
  add(entry: Entry): void {
    if (this.#ids.has(entry.id) || this.#disabledBy) return
    this.#ids.add(entry.id)
    this.#schedule(entry)
  }

  /** Stops taking work: retry timers cleared, waiting entries forgotten (they are in the store). */
  halt(): void {
    this.#running = false
    for (const entry of this.#takeWaiting()) this.#ids.delete(entry.id)
  }

  /** Empties the ready list and the retry timers, returning their entries. */
  #takeWaiting(): Entry[] {
    const waiting = this.#ready.splice(0)
    for (const { entry, timer } of this.#delayed.values()) {
      clearTimeout(timer)
      waiting.push(entry)
    }
    this.#delayed.clear()
    return waiting
  }

  /** Resolves when every send in flight has finished, its outcome persisted. */
  async settled(): Promise<void> {
    await Promise.all([...this.#flights].map((flight) => flight.job))
  }

  /** Aborts the sends in flight; their entries stay in the outbox for the next start. */
  abort(): void {
    for (const flight of this.#flights) {
      flight.stopped = true
      flight.controller.abort(
        new NotifierError('Delivery is stopping: the send was aborted, and is tried again after a restart.', {
          notifier: this.name,
        }),
      )
    }
  }

  #schedule(entry: Entry): void {
    const wait = (entry.nextAt ?? 0) - this.#deps.now()
    if (wait <= 0) {
      this.#ready.push(entry)
      this.#pump()
      return
    }
    const timer = setTimeout(() => {
      this.#delayed.delete(entry.id)
      this.#ready.push(entry)
      this.#pump()
    }, wait)
    this.#delayed.set(entry.id, { entry, timer })
  }

  #pump(): void {
    while (
      this.#running &&
      !this.#disabledBy &&
      this.#flights.size < this.options.concurrency &&
      this.#ready.length > 0
    ) {
      const entry = this.#ready.shift()!
      const flight: Flight = { controller: new AbortController() }
      this.#flights.add(flight)
      flight.job = this.#run(entry, flight).then((requeued) => {
        this.#flights.delete(flight)
        if (!requeued) this.#ids.delete(entry.id)
        this.#pump()
      })
    }
  }

  /** One attempt and its consequences; resolves true when the entry was queued again for a retry. */
  async #run(entry: Entry, flight: Flight): Promise<boolean> {
    const { store } = this.#deps
    try {
      // Delivered, dead-lettered or superseded since it was queued (e.g. read back while a resume ran).
      if (store.state(entry.id) !== 'outbox') return false
      // Delivered before a crash that came before the outbox was cleaned: clean up, never send again.
      if (store.isDelivered(entry.id)) {
        store.delivered(entry, { alreadyMarked: true })
        return false
      }
      const attempt = entry.attempts + 1
      const outcome = await sendOnce(this.notifier, entry.notification, {
        attempt,
        controller: flight.controller,
        timeoutMs: this.options.timeoutMs,
      })
      if (outcome.ok) {
        store.delivered(entry)
        this.#deps.emit({ type: 'delivered', notifier: this.name, notification: entry.notification, attempt })
        return false
      }
      if (flight.stopped) return false
      return await this.#failed(entry, attempt, outcome.error)
    } catch (error) {
      // The store failed: the entry stays in the outbox as last persisted, and is sent after a restart.
      this.#deps.emit({
        type: 'error',
        error: new CashNotifyError(
          `Delivery to ${this.name} could not update the store: ${error instanceof Error ? error.message : String(error)}`,
          { code: 'internal', cause: error },
        ),
      })
      return false
    }
  }

  async #failed(entry: Entry, attempt: number, raw: unknown): Promise<boolean> {
    const error = asNotifierError(this.name, raw)
    const { attempts, baseDelayMs, maxDelayMs } = this.options.retry
    entry.attempts = attempt
    // Disabled meanwhile by another send (concurrency > 1): no retry either, a dead letter to replay.
    if (error.disable || !error.retryable || attempt >= attempts || this.#disabledBy) {
      await this.#dead(entry, error, raw)
      if (error.disable) await this.#disable(error)
      return false
    }
    const delayMs = Math.max(
      0,
      error.retryAfterMs ?? backoffDelay(attempt, { baseDelayMs, maxDelayMs, random: this.#deps.random }),
    )
    entry.nextAt = this.#deps.now() + delayMs
    await this.#deps.store.saveProgress(entry)
    this.#deps.emit({
      type: 'retry',
      notifier: this.name,
      notification: entry.notification,
      attempt,
      delayMs,
      error,
    })
    if (!this.#running || this.#disabledBy) return false
    this.#schedule(entry)
    return true
  }

  async #dead(entry: Entry, error: NotifierError, raw: unknown): Promise<void> {
    const failedAt = this.#deps.now()
    const info = { code: errorCode(raw), message: redactSecrets(error.message) }
    await this.#deps.store.toDead(entry, info, failedAt)
    this.#deps.emit({
      type: 'dead_letter',
      error,
      deadLetter: {
        id: entry.id,
        notifier: this.name,
        notification: entry.notification,
        attempts: entry.attempts,
        error: info,
        acceptedAt: new Date(entry.acceptedAt),
        failedAt: new Date(failedAt),
      },
    })
  }

  /** The channel is gone: what waits for it becomes dead letters, replayable once it is fixed. */
  async #disable(error: NotifierError): Promise<void> {
    if (this.#disabledBy) return
    this.#disabledBy = error
    this.#deps.logger.warn(`Notifier ${this.name} is disabled: ${error.message}`)
    this.#deps.emit({ type: 'notifier_disabled', notifier: this.name, error })
    for (const entry of this.#takeWaiting()) {
      this.#ids.delete(entry.id)
      await this.#dead(entry, error, error)
    }
  }
}
