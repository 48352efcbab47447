/**
 * The producer side of delivery: one BullMQ queue per notifier, a notification as one job per notifier
 * with a deterministic id, and the failed set read as the dead-letter list and replayed from it.
 */
import { type Job, Queue } from 'bullmq'
import type { Redis } from 'ioredis'
import type { ClusterKeys } from '../keys.js'
import { deliveryJobId, queueName } from './job-id.js'
import { BACKOFF_TYPE, DELIVERY_DEFAULTS, type DeliveryOptions } from './options.js'

/** What a delivery job carries. */
export interface DeliveryJob<N> {
  /** The notification's idempotency id. */
  readonly notificationId: string
  /** The notifier it goes to. */
  readonly notifier: string
  /** The notification itself, as JSON. */
  readonly notification: N
}

/** A notification that used up its attempts, from a notifier's failed set. */
export interface DeadLetter<N> extends DeliveryJob<N> {
  /** The BullMQ job id, what {@link DeliveryQueues.replay} takes. */
  readonly jobId: string
  /** Attempts made, the last one included. */
  readonly attemptsMade: number
  /** The last attempt's error message. */
  readonly reason: string
  /** When it failed for the last time, ms since epoch. */
  readonly failedAt: number
}

/** The delivery queues of one cluster, as a producer and reader. */
export class DeliveryQueues<N> {
  readonly #connection: Redis
  readonly #keys: ClusterKeys
  readonly #options: Required<DeliveryOptions>
  readonly #queues = new Map<string, Queue<DeliveryJob<N>>>()

  /** `connection`: a `queue` connection (it waits for Redis to come back rather than failing). */
  constructor(connection: Redis, keys: ClusterKeys, options: DeliveryOptions = {}) {
    this.#connection = connection
    this.#keys = keys
    this.#options = { ...DELIVERY_DEFAULTS, ...options }
  }

  /** The queue of `notifier`, created on first use, its global concurrency set. */
  async queue(notifier: string): Promise<Queue<DeliveryJob<N>>> {
    let queue = this.#queues.get(notifier)
    if (!queue) {
      queue = new Queue<DeliveryJob<N>>(queueName(notifier), {
        connection: this.#connection,
        prefix: this.#keys.queues,
      })
      this.#queues.set(notifier, queue)
      await queue.setGlobalConcurrency(this.#options.concurrency)
    }
    return queue
  }

  /**
   * Enqueues `notification` for each notifier. Enqueuing the same id again is a no-op while the job is
   * waiting, in flight, failed or delivered within `keepDeliveredMs`.
   */
  async enqueue(notificationId: string, notification: N, notifiers: readonly string[]): Promise<void> {
    await Promise.all(
      notifiers.map(async (notifier) => {
        const queue = await this.queue(notifier)
        const data: DeliveryJob<N> = { notificationId, notifier, notification }
        await queue.add('deliver', data, {
          jobId: deliveryJobId(notificationId, notifier),
          attempts: this.#options.attempts,
          backoff: { type: BACKOFF_TYPE, delay: this.#options.backoffMs },
          removeOnComplete: { age: Math.ceil(this.#options.keepDeliveredMs / 1000) },
          // Failed jobs are the dead letters: kept until replayed or removed.
          removeOnFail: false,
        })
      }),
    )
  }

  /** The dead letters of `notifiers`, oldest failure first. */
  async deadLetters(notifiers: readonly string[]): Promise<DeadLetter<N>[]> {
    const lists = await Promise.all(
      notifiers.map(async (notifier) =>
        (await (await this.queue(notifier)).getFailed(0, -1)).map(toDeadLetter),
      ),
    )
    return lists.flat().sort((a, b) => a.failedAt - b.failedAt)
  }

  /** Puts a dead letter back in its queue with a fresh set of attempts; false when there is no such letter. */
  async replay(notifier: string, jobId: string): Promise<boolean> {
    const job = await (await this.queue(notifier)).getJob(jobId)
    if (!job || !(await job.isFailed())) return false
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true })
    return true
  }

  /** Jobs of `notifier` by state: waiting, active, delayed, completed, failed. */
  async counts(notifier: string): Promise<Record<string, number>> {
    return (await this.queue(notifier)).getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed')
  }

  /** Closes the queues (not the connection, which the caller owns). */
  async close(): Promise<void> {
    await Promise.all([...this.#queues.values()].map((queue) => queue.close()))
    this.#queues.clear()
  }
}

function toDeadLetter<N>(job: Job<DeliveryJob<N>>): DeadLetter<N> {
  return {
    ...job.data,
    jobId: job.id ?? '',
    attemptsMade: job.attemptsMade,
    reason: job.failedReason ?? '',
    failedAt: job.finishedOn ?? job.timestamp,
  }
}
