/** What a poller needs: where its findings go, and how it paces itself. */
import type Stripe from 'stripe'
import type { AccountStatus } from '../accounts/account.js'
import type { CashNotifyError } from '../shared/errors.js'
import type { Pacer } from './pacing.js'
import type { PushIntake } from './push.js'

/** Where a poller's findings go: the next stage of the one-way flow. It knows nothing of listeners. */
export interface PollerSink {
  /** New events, oldest first. Persisting waits for the returned promise. */
  events(events: Stripe.Event[], backfill: boolean): Promise<void> | void
  /** A window of time whose events cannot be recovered. */
  gap(from: Date, to: Date, reason: string): void
  /** The account's health changed (`healthy` is `active` or `degraded`, as its permissions say). */
  status(status: AccountStatus | 'healthy', reason: string, error?: CashNotifyError): void
  /** A failure that changes no status (a bug, a store error). */
  error(error: unknown): void
  /** The poll read everything there was: work held for later batches may be finished now. */
  settle(): Promise<void> | void
  /**
   * When sales held for their last events are next due to be settled, ms since epoch; undefined when none
   * is held. They are settled then, without waiting for a poll.
   */
  nextSettleAt?(): number | undefined
  /** A poll read `pages` pages of events (`events` new): a catch-up, spending faster than the pace. */
  catchUp?(pages: number, events: number): void
  /** Polls found events that the account's webhooks should have brought, `count` of them. */
  missed?(count: number): void
}

/** How a poller paces itself. */
export interface PollerSettings {
  /** Time between polls, ms. */
  readonly pollInterval: number
  /** How far back each poll re-reads, ms: covers late-visible events and clock skew. */
  readonly overlap: number
  /** Events emitted as backfill when an account is first polled. */
  readonly backfillCount: number
  /** Longest wait between polls after failures, ms. */
  readonly maxBackoff: number
  /** Source of jitter. */
  readonly random: () => number
  /** Paces the polls by the account's read allocation; without one, every poll is `pollInterval` apart. */
  readonly pacer?: Pacer | undefined
  /** The account's webhook side, when it has a signing secret. */
  readonly push?: PushIntake | undefined
  /** How old, ms, an event found by a poll may be before pushes are taken to have missed it. */
  readonly missedAfter?: number | undefined
  /** CashNotify's clock, ms since epoch. */
  readonly now: () => number
  /**
   * Clustered mode: whether this process holds the account's lease, asked right before each poll. A poll
   * it answers false to is skipped (and the next one scheduled): another process may be polling the account.
   */
  readonly leased?: (() => boolean) | undefined
}
