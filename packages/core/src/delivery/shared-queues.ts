/**
 * Delivery's contract with a cluster: queues that every process of the cluster shares, so that a
 * notification accepted by one process can be sent by any (`@cashnotify/redis` implements it with
 * BullMQ). Core keeps what it means to send: filters, timeouts, retry decisions, events; the queues keep
 * the jobs, their attempts, delays and dead letters, and the concurrency across processes.
 */
import type { DeadLetterError } from './types.js'

/** One notification for one notifier, as the shared queues keep it. */
export interface SharedJob {
  /** `<notifier>:<notification id>`, the same in every process: a job added twice is added once. */
  readonly id: string
  /** The notifier's name. */
  readonly notifier: string
  /** The notification's id. */
  readonly notificationId: string
  /** The notification as JSON-safe data; only core reads it. */
  readonly notification: unknown
  /** When it was accepted, ms since epoch. */
  readonly acceptedAt: number
  /** Attempts allowed, the first included: the notifier's `retry.attempts`. */
  readonly attempts: number
}

/** One attempt of a job, as the queues hand it to this process. */
export interface SharedAttempt {
  readonly job: SharedJob
  /** 1 for the first attempt. */
  readonly attempt: number
}

/**
 * How an attempt ended: the queues act on it (done; again after `delayMs`; a dead letter; or `later`: not
 * tried, as this process is stopping, so back to the queue at once without counting an attempt).
 */
export type SharedAttemptOutcome =
  | { readonly outcome: 'delivered' }
  | { readonly outcome: 'later' }
  | { readonly outcome: 'retry'; readonly delayMs: number; readonly reason: string }
  | { readonly outcome: 'dead'; readonly error: DeadLetterError }

/**
 * An outcome, and what to do once the queues recorded it: the attempt's event is reported then, so that a
 * listener of `dead_letter` finds the letter in `deadLetters()`.
 */
export type SharedAttemptResult = SharedAttemptOutcome & { readonly recorded?: () => void }

/** A job that became a dead letter, as the queues keep it. */
export interface SharedDeadLetter {
  readonly job: SharedJob
  /** Attempts made, the last included. */
  readonly attempts: number
  readonly error: DeadLetterError
  /** ms since epoch. */
  readonly failedAt: number
}

/** This process's worker for one notifier's jobs. */
export interface SharedWorker {
  /** Takes no new job, and resolves once the attempts in flight have ended (their outcomes recorded). */
  close(): Promise<void>
}

/** Queues shared by every process of a cluster, one per notifier. */
export interface SharedDeliveryQueues {
  /**
   * Adds jobs; resolves once every one is persisted. A job whose id is there already (waiting, in flight,
   * a dead letter, or delivered within the queues' retention) is not added again.
   */
  add(jobs: readonly SharedJob[]): Promise<void>
  /**
   * Starts taking `notifier`'s jobs in this process, each handed to `attempt`; at most `concurrency`
   * attempts of the notifier are in flight at once, across every process. Once an outcome is recorded,
   * its `recorded` is called.
   */
  work(
    notifier: string,
    concurrency: number,
    attempt: (attempt: SharedAttempt) => Promise<SharedAttemptResult>,
  ): SharedWorker
  /** The dead letters of every notifier of the cluster (in use here or not), oldest first. */
  deadLetters(): Promise<SharedDeadLetter[]>
  /** Queues dead letters again by job id, their attempts reset; resolves how many were. */
  replay(ids: readonly string[]): Promise<number>
}
