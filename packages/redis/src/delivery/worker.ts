/**
 * The consumer side of delivery: one BullMQ worker per notifier and process. Each notifier has its own
 * queue and worker, so a slow or failing notifier never holds another's jobs; BullMQ's global
 * concurrency caps the sends in flight per notifier across every process.
 */
import type { Logger } from '@cashnotify/core/notifier'
import { type Job, UnrecoverableError, Worker } from 'bullmq'
import type { Redis } from 'ioredis'
import type { ClusterKeys } from '../keys.js'
import { queueName } from './job-id.js'
import { BACKOFF_TYPE, DELIVERY_DEFAULTS, type DeliveryOptions, retryDelay } from './options.js'
import type { DeliveryJob } from './queues.js'

/** Sends one job's notification; rejects to retry, or with `retryable: false` to make it a dead letter at once. */
export type DeliverySend<N> = (job: DeliveryJob<N>, attempt: number, signal?: AbortSignal) => Promise<void>

/** A running delivery worker. */
export interface DeliveryWorker {
  /** The notifier whose jobs it delivers. */
  readonly notifier: string
  /** Stops taking jobs and waits for the ones in flight. */
  close(): Promise<void>
}

/** Options of {@link startDeliveryWorker}. */
export interface DeliveryWorkerOptions extends DeliveryOptions {
  /** Where the worker's Redis failures are logged. */
  readonly logger: Logger
  /** The random source of the backoff jitter. @default Math.random */
  readonly random?: () => number
}

/**
 * Starts delivering `notifier`'s jobs in this process.
 * `connection`: a `queue` connection; BullMQ duplicates it for its blocking reads.
 */
export function startDeliveryWorker<N>(
  connection: Redis,
  keys: ClusterKeys,
  notifier: string,
  send: DeliverySend<N>,
  options: DeliveryWorkerOptions,
): DeliveryWorker {
  const settings = { ...DELIVERY_DEFAULTS, ...withoutUndefined(options) }
  const process = async (job: Job<DeliveryJob<N>>, _token?: string, signal?: AbortSignal): Promise<void> => {
    try {
      await send(job.data, job.attemptsMade + 1, signal)
    } catch (error) {
      // A notifier that says a retry cannot help (NotifierError `retryable: false`) skips the other attempts.
      if ((error as { retryable?: unknown } | null)?.retryable === false) {
        throw new UnrecoverableError(error instanceof Error ? error.message : String(error))
      }
      throw error
    }
  }
  const worker = new Worker<DeliveryJob<N>>(queueName(notifier), process, {
    connection,
    prefix: keys.queues,
    concurrency: settings.concurrency,
    settings: {
      backoffStrategy: (attemptsMade, type, error) =>
        type === BACKOFF_TYPE
          ? retryDelay(attemptsMade, settings, error, options.random)
          : settings.backoffMs,
    },
  })
  // Without a listener an 'error' event would crash the process; BullMQ reconnects by itself.
  worker.on('error', (error: Error) => {
    options.logger.warn(`[cashnotify] [redis] Delivery worker of ${notifier}: ${error.message}`)
  })
  return { notifier, close: () => worker.close() }
}

function withoutUndefined(options: DeliveryOptions): DeliveryOptions {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined))
}
