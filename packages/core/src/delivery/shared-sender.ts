/**
 * One notifier's attempts in clustered mode: the queues shared by the cluster hand this process a job,
 * and this decides what its send means, as the notifier queue does for one process (`notifier-queue.ts`):
 * delivered, tried again after a backoff, or a dead letter; and it reports each on the instance's events.
 */
import { NotifierError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import { redactSecrets } from '../shared/redact.js'
import { backoffDelay } from '../stripe/retry.js'
import type { Deliverable, Notifier } from './notifier.js'
import type { ResolvedNotifierOptions } from './notifier-options.js'
import { asNotifierError, errorCode, sendOnce } from './send.js'
import { reviveDeliverable } from './serialize.js'
import type { SharedAttempt, SharedAttemptResult } from './shared-queues.js'
import type { DeliveryEvent } from './types.js'

/** What a sender needs from its delivery. */
export interface SenderDeps {
  readonly logger: Logger
  readonly now: () => number
  readonly random: () => number
  readonly emit: (event: DeliveryEvent) => void
  /** The notifier said its channel is gone: this process stops taking its jobs. */
  readonly disable: (notifier: string, error: NotifierError) => void
}

/** The attempts of one notifier's jobs in this process. */
export class SharedSender {
  readonly notifier: Notifier
  readonly options: ResolvedNotifierOptions
  readonly #deps: SenderDeps
  readonly #flights = new Set<AbortController>()
  #stopping = false

  constructor(notifier: Notifier, options: ResolvedNotifierOptions, deps: SenderDeps) {
    this.notifier = notifier
    this.options = options
    this.#deps = deps
  }

  /** Sends again after a stop. */
  resume(): void {
    this.#stopping = false
  }

  /** Aborts the sends in flight (delivery is stopping): each goes back to the queue, not counted as failed. */
  abort(): void {
    this.#stopping = true
    for (const controller of this.#flights)
      controller.abort(
        new NotifierError('Delivery is stopping: the send was aborted, and is tried again later.', {
          notifier: this.notifier.name,
        }),
      )
  }

  /** One attempt of a job; never rejects. Its event is emitted once the queues recorded the outcome. */
  async attempt({ job, attempt }: SharedAttempt): Promise<SharedAttemptResult> {
    const notification = reviveDeliverable(job.notification)
    if (!notification) {
      this.#deps.logger.warn(`The queued notification ${job.id} cannot be read; it is a dead letter.`)
      return { outcome: 'dead', error: { code: 'unreadable', message: 'The notification cannot be read.' } }
    }
    if (this.#stopping) return { outcome: 'later' }
    const controller = new AbortController()
    this.#flights.add(controller)
    const sent = await sendOnce(this.notifier, notification, {
      attempt,
      controller,
      timeoutMs: this.options.timeoutMs,
    }).finally(() => this.#flights.delete(controller))
    const name = this.notifier.name
    const { emit } = this.#deps
    if (sent.ok)
      return {
        outcome: 'delivered',
        recorded: () => emit({ type: 'delivered', notifier: name, notification, attempt }),
      }
    if (this.#stopping) return { outcome: 'later' }
    const error = asNotifierError(name, sent.error)
    if (error.disable || !error.retryable || attempt >= job.attempts) {
      const info = { code: errorCode(sent.error), message: redactSecrets(error.message) }
      if (error.disable) this.#deps.disable(name, error)
      const recorded = (): void =>
        this.#dead(notification, { id: job.id, acceptedAt: job.acceptedAt, attempt }, error, info)
      return { outcome: 'dead', error: info, recorded }
    }
    const { baseDelayMs, maxDelayMs } = this.options.retry
    const delayMs = Math.max(
      0,
      error.retryAfterMs ?? backoffDelay(attempt, { baseDelayMs, maxDelayMs, random: this.#deps.random }),
    )
    const recorded = (): void =>
      emit({ type: 'retry', notifier: name, notification, attempt, delayMs, error })
    return { outcome: 'retry', delayMs, reason: redactSecrets(error.message), recorded }
  }

  #dead(
    notification: Deliverable,
    job: { id: string; acceptedAt: number; attempt: number },
    error: NotifierError,
    info: { code: string; message: string },
  ): void {
    this.#deps.emit({
      type: 'dead_letter',
      error,
      deadLetter: {
        id: job.id,
        notifier: this.notifier.name,
        notification,
        attempts: job.attempt,
        error: info,
        acceptedAt: new Date(job.acceptedAt),
        failedAt: new Date(this.#deps.now()),
      },
    })
  }
}
