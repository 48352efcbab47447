/**
 * Core's shared delivery queues (`SharedDeliveryQueues`) on BullMQ: one queue per notifier, one job per
 * notification and notifier under a deterministic id, BullMQ's attempts and delays for the retries (core
 * decides each delay), its failed set for the dead letters, and its global concurrency per notifier.
 */
import type {
  DeadLetterError,
  Logger,
  SharedAttempt,
  SharedAttemptResult,
  SharedDeadLetter,
  SharedDeliveryQueues,
  SharedJob,
  SharedWorker,
} from '@cashnotify/core'
import { DelayedError, type Job, Queue, UnrecoverableError, Worker } from 'bullmq'
import type { Redis } from 'ioredis'
import type { ClusterKeys } from '../keys.js'
import { deliveryJobId, notifierOfQueue, queueName } from './job-id.js'
import { BACKOFF_TYPE, type DeliveryOptions } from './options.js'

/** A job as BullMQ keeps it: core's job, and once it is a dead letter, core's account of why. */
interface StoredJob extends SharedJob {
  readonly deadLetter?: DeadLetterError
}

/** A retry that core asked for, after `delayMs` (read back by the backoff strategy). */
class RetryLater extends Error {
  constructor(
    message: string,
    readonly delayMs: number,
  ) {
    super(message)
  }
}

/**
 * Attempts allowed beyond core's own count: core makes a job a dead letter itself when its attempts are
 * used up, so BullMQ's count is only a backstop.
 */
const SPARE_ATTEMPTS = 3
/** A crashed process's attempts in flight go back to the queue once their lock lapses. */
const LOCK_MS = 10_000
/** How often a worker looks for such attempts. */
const STALLED_CHECK_MS = 5_000
/** How often one job may be found stalled (its process died mid-send) before it is a dead letter. */
const MAX_STALLS = 5

/** The cluster's delivery queues as core uses them; see the file's comment. */
export class ClusterQueues implements SharedDeliveryQueues {
  readonly #connection: Redis
  readonly #keys: ClusterKeys
  readonly #options: Required<DeliveryOptions>
  readonly #logger: Logger
  readonly #queues = new Map<string, Queue<StoredJob>>()
  readonly #workers = new Set<Worker<StoredJob>>()
  /** The last failure logged per notifier, until its worker delivers again. */
  readonly #warned = new Map<string, string>()

  /** `connection`: a `queue` connection (it waits for Redis to come back rather than failing). */
  constructor(connection: Redis, keys: ClusterKeys, options: Required<DeliveryOptions>, logger: Logger) {
    this.#connection = connection
    this.#keys = keys
    this.#options = options
    this.#logger = logger
  }

  async add(jobs: readonly SharedJob[]): Promise<void> {
    const keepSeconds = Math.ceil(this.#options.keepDeliveredMs / 1000)
    await Promise.all(
      jobs.map((job) =>
        this.#queue(job.notifier).add('deliver', job, {
          jobId: deliveryJobId(job.notificationId, job.notifier),
          attempts: job.attempts + SPARE_ATTEMPTS,
          backoff: { type: BACKOFF_TYPE },
          // Kept while a re-read could add it again; failed jobs are the dead letters, kept until replayed.
          removeOnComplete: { age: keepSeconds },
          removeOnFail: false,
        }),
      ),
    )
  }

  work(
    notifier: string,
    concurrency: number,
    attempt: (attempt: SharedAttempt) => Promise<SharedAttemptResult>,
  ): SharedWorker {
    // Each attempt's `recorded`, called once BullMQ has moved its job (completed, failed or delayed).
    const recorded = new Map<string, () => void>()
    const settle = (job: Job<StoredJob> | undefined): void => {
      this.#warned.delete(notifier) // the queue works again: its next failure is news
      const id = job?.id ?? ''
      recorded.get(id)?.()
      recorded.delete(id)
    }
    this.#queue(notifier)
      .setGlobalConcurrency(concurrency)
      .catch((error: unknown) => this.#warn(notifier, error))
    const worker = new Worker<StoredJob>(
      queueName(notifier),
      (job, token) => run(job, token, attempt, recorded),
      {
        connection: this.#connection,
        prefix: this.#keys.queues,
        concurrency,
        lockDuration: LOCK_MS,
        stalledInterval: STALLED_CHECK_MS,
        maxStalledCount: MAX_STALLS,
        settings: {
          backoffStrategy: (_made, _type, error) => (error instanceof RetryLater ? error.delayMs : 0),
        },
      },
    )
    // Without a listener an 'error' event would crash the process; BullMQ reconnects by itself.
    worker.on('error', (error: Error) => this.#warn(notifier, error))
    worker.on('completed', settle)
    worker.on('failed', settle)
    this.#workers.add(worker)
    return {
      close: async () => {
        this.#workers.delete(worker)
        await worker.close()
      },
    }
  }

  async deadLetters(): Promise<SharedDeadLetter[]> {
    const lists = await Promise.all(
      (await this.#notifiers()).map(async (notifier) =>
        (await this.#queue(notifier).getFailed(0, -1)).map(toDeadLetter),
      ),
    )
    return lists.flat().sort((a, b) => a.failedAt - b.failedAt)
  }

  /** Every notifier that has a queue in Redis (made by any process), and those in use here. */
  async #notifiers(): Promise<string[]> {
    const found = new Set(this.#queues.keys())
    const start = `${this.#keys.queues}:`
    // SCAN, not KEYS: a shared Redis may hold many keys, and KEYS would block it while it looks.
    let cursor = '0'
    do {
      const [next, keys] = await this.#connection.scan(
        cursor,
        'MATCH',
        `${start}${queueName('')}*:meta`,
        'COUNT',
        500,
      )
      cursor = next
      for (const key of keys) found.add(notifierOfQueue(key.slice(start.length, -':meta'.length)))
    } while (cursor !== '0')
    return [...found]
  }

  async replay(ids: readonly string[]): Promise<number> {
    const replayed = await Promise.all(
      ids.map(async (id) => {
        const at = id.indexOf(':')
        if (at <= 0) return false
        const notifier = id.slice(0, at)
        const job = await this.#queue(notifier).getJob(deliveryJobId(id.slice(at + 1), notifier))
        if (!job || !(await job.isFailed())) return false
        await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true })
        return true
      }),
    )
    return replayed.filter(Boolean).length
  }

  /** Closes the workers (waiting for their attempts in flight) and the queues; not the connection. */
  async close(): Promise<void> {
    await Promise.allSettled([...this.#workers].map((worker) => worker.close()))
    this.#workers.clear()
    await Promise.allSettled([...this.#queues.values()].map((queue) => queue.close()))
    this.#queues.clear()
  }

  #queue(notifier: string): Queue<StoredJob> {
    let queue = this.#queues.get(notifier)
    if (!queue) {
      queue = new Queue<StoredJob>(queueName(notifier), {
        connection: this.#connection,
        prefix: this.#keys.queues,
      })
      queue.on('error', (error: Error) => this.#warn(notifier, error))
      this.#queues.set(notifier, queue)
    }
    return queue
  }

  /** Logs a queue's failure once: while Redis is away, BullMQ reports each reconnection attempt. */
  #warn(notifier: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error)
    if (this.#warned.get(notifier) === message) return
    this.#warned.set(notifier, message)
    this.#logger.warn(`[cashnotify] [redis] Delivery queue of ${notifier}: ${message}`)
  }
}

/** One attempt of a job, its outcome told to BullMQ: completed, delayed, retried, or failed for good. */
async function run(
  job: Job<StoredJob>,
  token: string | undefined,
  attempt: (attempt: SharedAttempt) => Promise<SharedAttemptResult>,
  recorded: Map<string, () => void>,
): Promise<void> {
  const { deadLetter: _, ...data } = job.data
  const result = await attempt({ job: data, attempt: job.attemptsMade + 1 })
  if (result.recorded && job.id) recorded.set(job.id, result.recorded)
  if (result.outcome === 'delivered') return
  if (result.outcome === 'later') {
    await job.moveToDelayed(Date.now(), token)
    throw new DelayedError()
  }
  if (result.outcome === 'retry') throw new RetryLater(result.reason, result.delayMs)
  await job.updateData({ ...data, deadLetter: result.error })
  throw new UnrecoverableError(result.error.message)
}

function toDeadLetter(job: Job<StoredJob>): SharedDeadLetter {
  const { deadLetter, ...data } = job.data
  return {
    job: data,
    attempts: job.attemptsMade,
    // A job BullMQ failed itself (stalled too often) has no account from core.
    error: deadLetter ?? {
      code: 'notifier_failed',
      message: job.failedReason ?? 'The error was not recorded.',
    },
    failedAt: job.finishedOn ?? job.timestamp,
  }
}
