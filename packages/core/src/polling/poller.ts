import type Stripe from 'stripe'
import type { AccountStatus } from '../accounts/account.js'
import {
  type CashNotifyError,
  InvalidKeyError,
  MissingPermissionError,
  RateLimitedError,
  StripeUnavailableError,
} from '../shared/errors.js'
import { type KeyValueStore, RETENTION } from '../shared/store.js'
import type { StripeGateway } from '../stripe/client.js'
import { backoffDelay } from '../stripe/retry.js'
import { eventsSince, latestEvents, PAGE_LIMIT } from './event-pages.js'
import { loadPollState, type PollState, pruneSeen, savePollState } from './poll-state.js'

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
  /** CashNotify's clock, ms since epoch. */
  readonly now: () => number
}

const JITTER = 0.1

/**
 * One account's polling loop. Each poll reads every event created since the last completed poll minus
 * an overlap, skips ids already seen, hands the rest to the sink oldest first, and persists progress
 * after each batch, so a crash can only cause a re-read that the seen set absorbs.
 */
export class AccountPoller {
  readonly #ref: string
  readonly #gateway: StripeGateway
  readonly #store: KeyValueStore
  readonly #sink: PollerSink
  readonly #settings: PollerSettings
  #timer: ReturnType<typeof setTimeout> | undefined
  #inFlight: Promise<void> | undefined
  #abort = new AbortController()
  #running = false
  #failures = 0
  readonly #watchedSince: number

  /** `watchedSince` (ms) divides old events (backfill) from new ones: when the account was added. */
  constructor(
    ref: string,
    gateway: StripeGateway,
    store: KeyValueStore,
    sink: PollerSink,
    settings: PollerSettings,
    watchedSince: number = settings.now(),
  ) {
    this.#watchedSince = watchedSince
    this.#ref = ref
    this.#gateway = gateway
    this.#store = store
    this.#sink = sink
    this.#settings = settings
  }

  /** Starts the loop; the first poll runs at once. */
  start(): void {
    if (this.#running) return
    this.#running = true
    this.#abort = new AbortController()
    this.#schedule(0)
  }

  /** Stops the loop and waits for a poll in flight to finish (its backoff waits are cut short). */
  async stop(): Promise<void> {
    this.#running = false
    clearTimeout(this.#timer)
    this.#abort.abort(new Error('CashNotify is stopping.'))
    await this.#inFlight
  }

  /** Whether the loop is running. */
  get running(): boolean {
    return this.#running
  }

  #schedule(delay: number): void {
    this.#timer = setTimeout(() => {
      this.#inFlight = this.#pollOnce().finally(() => {
        this.#inFlight = undefined
      })
    }, delay)
  }

  async #pollOnce(): Promise<void> {
    let halt = false
    try {
      await this.#poll(this.#abort.signal)
      if (this.#failures > 0) this.#sink.status('healthy', 'Stripe answers again.')
      this.#failures = 0
    } catch (error) {
      if (!this.#running) return
      this.#failures++
      halt = this.#classify(error)
    }
    if (!this.#running || halt) {
      this.#running = this.#running && !halt
      return
    }
    this.#schedule(this.#failures === 0 ? this.#nextDelay() : this.#backoff())
  }

  /** Reports a failure; returns whether the loop must stop for good (a revoked or invalid key). */
  #classify(error: unknown): boolean {
    if (error instanceof InvalidKeyError) {
      this.#sink.status('invalid_key', error.message, error)
      return true
    }
    if (error instanceof MissingPermissionError) {
      this.#sink.status('permission_lost', error.message, error)
    } else if (error instanceof RateLimitedError) {
      this.#sink.status('rate_limited', error.message, error)
    } else if (error instanceof StripeUnavailableError) {
      this.#sink.status('stripe_unavailable', error.message, error)
    } else {
      this.#sink.error(error)
    }
    return false
  }

  #nextDelay(): number {
    const { pollInterval, random } = this.#settings
    return Math.round(pollInterval * (1 + JITTER * (random() * 2 - 1)))
  }

  #backoff(): number {
    const { pollInterval, maxBackoff, random } = this.#settings
    return backoffDelay(this.#failures, { baseDelayMs: pollInterval, maxDelayMs: maxBackoff, random })
  }

  async #poll(signal: AbortSignal): Promise<void> {
    const { now, overlap } = this.#settings
    const startedAt = now()
    const state = (await loadPollState(this.#store, this.#ref)) ?? (await this.#backfill(signal, startedAt))
    const retentionStart = startedAt - RETENTION.stripeEventsMs
    let floorMs = state.polledAt - overlap
    if (floorMs < retentionStart) {
      this.#sink.gap(
        new Date(floorMs),
        new Date(retentionStart),
        'Stripe keeps events for 30 days and this account was last polled before that.',
      )
      floorMs = retentionStart
    }
    const seen = new Map(state.seen)
    let polledAt = state.polledAt
    for await (const batch of eventsSince(this.#gateway, Math.floor(floorMs / 1000), signal)) {
      const fresh = batch.filter((event) => !seen.has(event.id))
      if (fresh.length > 0) await this.#sink.events(fresh, false)
      for (const event of fresh) seen.set(event.id, event.created)
      // Everything visible at the start and created up to this batch's newest second is now emitted.
      const newest = batch.at(-1)?.created ?? 0
      polledAt = Math.max(polledAt, Math.min(newest * 1000, startedAt))
      await this.#save({ v: 1, polledAt, seen: [...seen] }, startedAt)
    }
    await this.#sink.settle()
    await this.#save({ v: 1, polledAt: startedAt, seen: [...seen] }, startedAt)
  }

  /**
   * The first poll of an account: the last events from before it was watched are emitted as backfill;
   * those of the overlap window before it are marked seen, so only what happened since counts as new.
   */
  async #backfill(signal: AbortSignal, startedAt: number): Promise<PollState> {
    const cut = Math.floor(this.#watchedSince / 1000)
    const { backfillCount, overlap } = this.#settings
    const events =
      backfillCount > 0 ? await latestEvents(this.#gateway, backfillCount, { lt: cut }, signal) : []
    const window = { gte: cut - Math.ceil(overlap / 1000), lt: cut }
    const older = await latestEvents(this.#gateway, PAGE_LIMIT, window, signal)
    await this.#sink.events(events, true)
    const seen = [...older, ...events].map((e) => [e.id, e.created] as const)
    const state: PollState = { v: 1, polledAt: Math.min(this.#watchedSince, startedAt), seen }
    await this.#save(state, startedAt)
    return state
  }

  async #save(state: PollState, nowMs: number): Promise<void> {
    const floor = Math.floor((state.polledAt - this.#settings.overlap) / 1000)
    await savePollState(this.#store, this.#ref, { ...state, seen: pruneSeen(state.seen, floor, nowMs) })
  }
}
