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
import { eventsSince, latestEvents } from './event-pages.js'
import type { Pacer } from './pacing.js'
import { deletePollState, loadPollState, type PollState, pruneSeen, savePollState } from './poll-state.js'

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
  /** Paces the polls by the account's read allocation; without one, every poll is `pollInterval` apart. */
  readonly pacer?: Pacer | undefined
  /** CashNotify's clock, ms since epoch. */
  readonly now: () => number
}

const JITTER = 0.1

/** While Stripe is unreachable, the longest wait between tries, in poll intervals. */
const OUTAGE_RETRY_INTERVALS = 4

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
  /** Whether the last failure was Stripe being unreachable (retried sooner than other failures). */
  #outage = false
  #state: PollState | undefined

  constructor(
    ref: string,
    gateway: StripeGateway,
    store: KeyValueStore,
    sink: PollerSink,
    settings: PollerSettings,
  ) {
    this.#ref = ref
    this.#gateway = gateway
    this.#store = store
    this.#sink = sink
    this.#settings = settings
  }

  /**
   * Reads the account's state, or writes the first one: the moment the account was added, which divides
   * history (backfill) from new events. Called when the account is added, before anything can fail.
   */
  async init(): Promise<PollState> {
    if (this.#state) return this.#state
    const saved = await loadPollState(this.#store, this.#ref)
    if (saved) {
      this.#state = saved
      return saved
    }
    const since = this.#settings.now()
    const state: PollState = { v: 2, since, backfilled: false, polledAt: since, seen: [] }
    await savePollState(this.#store, this.#ref, state)
    this.#state = state
    return state
  }

  /** Deletes what the loop persisted (the account was removed for good). Call after {@link stop}. */
  async forget(): Promise<void> {
    this.#state = undefined
    await deletePollState(this.#store, this.#ref)
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
      this.#outage = error instanceof StripeUnavailableError
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
    const { pollInterval, random, pacer } = this.#settings
    const interval = pacer?.interval() ?? pollInterval
    return Math.round(interval * (1 + JITTER * (random() * 2 - 1)))
  }

  /**
   * The wait after a failure: exponential from the poll interval. While Stripe is unreachable it stays
   * within a few intervals (one request per account, no heavier than polling itself), so a return of
   * Stripe is noticed within a few intervals, not after as long as the outage lasted; after a 429 or a
   * lost permission it grows up to `maxBackoff`.
   */
  #backoff(): number {
    const { pollInterval, maxBackoff, random } = this.#settings
    const ceiling = this.#outage ? Math.min(maxBackoff, OUTAGE_RETRY_INTERVALS * pollInterval) : maxBackoff
    return backoffDelay(this.#failures, { baseDelayMs: pollInterval, maxDelayMs: ceiling, random })
  }

  async #poll(signal: AbortSignal): Promise<void> {
    const { now, overlap } = this.#settings
    const startedAt = now()
    let state = await this.init()
    if (!state.backfilled) state = await this.#backfill(state, signal)
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
    // What Stripe created before the second the account was added is history, whatever a poll finds.
    const cut = Math.floor(state.since / 1000)
    const seen = new Map(state.seen)
    let polledAt = state.polledAt
    for await (const batch of eventsSince(this.#gateway, Math.floor(floorMs / 1000), signal)) {
      const fresh = batch.filter((event) => !seen.has(event.id))
      const news = fresh.filter((event) => event.created >= cut)
      if (news.length > 0) {
        this.#settings.pacer?.activity()
        await this.#sink.events(news, false)
      }
      for (const event of fresh) seen.set(event.id, event.created)
      // Everything visible at the start and created up to this batch's newest second is now emitted.
      const newest = batch.at(-1)?.created ?? 0
      polledAt = Math.max(polledAt, Math.min(newest * 1000, startedAt))
      state = await this.#save({ ...state, polledAt, seen: [...seen] }, startedAt)
    }
    await this.#sink.settle()
    await this.#save({ ...state, polledAt: startedAt, seen: [...seen] }, startedAt)
  }

  /** The first poll of an account: the last events from before it was added are emitted as backfill. */
  async #backfill(state: PollState, signal: AbortSignal): Promise<PollState> {
    const { backfillCount } = this.#settings
    const cut = Math.floor(state.since / 1000)
    const events =
      backfillCount > 0 ? await latestEvents(this.#gateway, backfillCount, { lt: cut }, signal) : []
    if (events.length > 0) await this.#sink.events(events, true)
    const seen = [...state.seen, ...events.map((e) => [e.id, e.created] as const)]
    return this.#save({ ...state, backfilled: true, seen }, this.#settings.now())
  }

  async #save(state: PollState, nowMs: number): Promise<PollState> {
    const floor = Math.floor((state.polledAt - this.#settings.overlap) / 1000)
    const saved = { ...state, seen: pruneSeen(state.seen, floor, nowMs) }
    await savePollState(this.#store, this.#ref, saved)
    this.#state = saved
    return saved
  }
}
