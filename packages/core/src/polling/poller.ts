import type Stripe from 'stripe'
import { StripeUnavailableError } from '../shared/errors.js'
import { type KeyValueStore, RETENTION } from '../shared/store.js'
import type { StripeGateway } from '../stripe/client.js'
import { eventsSince, latestEvents } from './event-pages.js'
import { failureWait, reportFailure } from './failures.js'
import { deletePollState, loadPollState, type PollState, pruneSeen, savePollState } from './poll-state.js'
import type { PollerSettings, PollerSink } from './poller-types.js'
import { missedByPushes } from './push.js'

const JITTER = 0.1
/** Settle passes wait at least this long, ms: a deadline already past is settled soon, not in a loop. */
const SETTLE_PASS_MIN_MS = 50
/** A poll that reads this many pages of events is a catch-up, and says so. */
const CATCH_UP_PAGES = 3
/** Clustered: a failure once the lease lapsed is a write its fencing refused, expected after a pause. */
const lapsed = (settings: PollerSettings): boolean => settings.leased?.() === false

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
  /** When the scheduled poll runs, ms since epoch. */
  #nextPollAt = 0
  #settleTimer: ReturnType<typeof setTimeout> | undefined
  /** Polls, pushed batches and settle passes run one at a time: they share the seen ids and the cursor. */
  #queue: Promise<void> = Promise.resolve()
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

  /** Starts the loop; the first poll runs after `delay` ms (at once by default). */
  start(delay = 0): void {
    if (this.#running) return
    this.#running = true
    this.#abort = new AbortController()
    this.#schedule(delay)
  }

  /** Stops the loop and waits for a poll in flight to finish (its backoff waits are cut short). */
  async stop(): Promise<void> {
    this.#running = false
    clearTimeout(this.#timer)
    clearTimeout(this.#settleTimer)
    this.#abort.abort(new Error('CashNotify is stopping.'))
    await this.#queue
  }

  /**
   * Pushed events were put in the inbox: they are handed on now, between polls. Resolves when they are
   * (or, not running, at once: {@link start} hands them on).
   */
  accept(): Promise<void> {
    if (!this.#running) return Promise.resolve()
    return this.#exclusive(async () => {
      try {
        await this.#drain(this.#abort.signal)
      } catch (error) {
        // They stay in the inbox, for the next poll.
        if (this.#running && !lapsed(this.#settings)) this.#sink.error(error)
      }
    })
  }

  /** Whether the loop is running. */
  get running(): boolean {
    return this.#running
  }

  #schedule(delay: number): void {
    clearTimeout(this.#timer)
    this.#nextPollAt = this.#settings.now() + delay
    this.#timer = setTimeout(() => void this.#exclusive(() => this.#pollOnce()), delay)
  }

  #exclusive(work: () => Promise<void>): Promise<void> {
    const run = this.#queue.then(work)
    this.#queue = run.catch(() => undefined)
    return run
  }

  /**
   * Sales held for their last events are settled at their deadline (`settle`), whatever the pace: polled,
   * the poll moves up to the deadline, so that what the payment still misses is read before it goes out;
   * with live webhooks, which bring those events, a settle pass at the deadline reads nothing.
   */
  #settleSoon(): void {
    clearTimeout(this.#settleTimer)
    const due = this.#sink.nextSettleAt?.()
    if (!this.#running || due === undefined) return
    const now = this.#settings.now()
    const delay = Math.max(SETTLE_PASS_MIN_MS, due - now)
    if (this.#settings.push?.state !== 'live') {
      if (now + delay < this.#nextPollAt) this.#schedule(delay)
      return
    }
    const pass = async (): Promise<void> => {
      if (!this.#running) return
      await Promise.resolve(this.#sink.settle()).catch(
        (error: unknown) => lapsed(this.#settings) || this.#sink.error(error),
      )
      this.#settleSoon()
    }
    this.#settleTimer = setTimeout(() => void this.#exclusive(pass), delay)
  }

  async #pollOnce(): Promise<void> {
    if (lapsed(this.#settings)) return this.#schedule(this.#nextDelay())
    let halt = false
    try {
      await this.#poll(this.#abort.signal)
      if (this.#failures > 0) this.#sink.status('healthy', 'Stripe answers again.')
      this.#failures = 0
    } catch (error) {
      if (!this.#running) return
      if (lapsed(this.#settings)) return this.#schedule(this.#nextDelay())
      this.#failures++
      this.#outage = error instanceof StripeUnavailableError
      halt = reportFailure(error, this.#sink)
    }
    if (!this.#running || halt) {
      this.#running = this.#running && !halt
      return
    }
    if (this.#failures > 0) {
      this.#schedule(failureWait(this.#failures, this.#outage, this.#settings))
      return
    }
    this.#schedule(this.#nextDelay())
    this.#settleSoon()
  }

  #nextDelay(): number {
    const { pollInterval, random, pacer } = this.#settings
    const interval = pacer?.interval() ?? pollInterval
    return Math.round(interval * (1 + JITTER * (random() * 2 - 1)))
  }

  async #poll(signal: AbortSignal): Promise<void> {
    const { now, overlap } = this.#settings
    const startedAt = now()
    await this.#drain(signal)
    let state = await this.init()
    if (!state.backfilled) state = await this.#backfill(state, signal)
    const push = this.#settings.push
    await push?.load()
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
    let pages = 0
    let caught = 0
    for await (const batch of eventsSince(this.#gateway, Math.floor(floorMs / 1000), signal)) {
      pages++
      caught += await this.#handOn(batch, seen, cut, startedAt)
      // Everything visible at the start and created up to this batch's newest second is now emitted.
      const newest = batch.at(-1)?.created ?? 0
      polledAt = Math.max(polledAt, Math.min(newest * 1000, startedAt))
      state = await this.#save({ ...state, polledAt, seen: [...seen] }, startedAt)
    }
    if (push?.state === 'waiting') this.#noteMissed([], startedAt)
    await this.#sink.settle()
    await this.#save({ ...state, polledAt: startedAt, seen: [...seen] }, startedAt)
    // A backlog is read whole, whatever the pace: the reads it takes are said, and later polls pay for them.
    if (pages >= CATCH_UP_PAGES) this.#sink.catchUp?.(pages, caught)
  }

  /**
   * Hands on the events that neither a poll nor a push handled yet (those created before `cut`, the
   * second the account was added, are history), and marks them seen and handled; returns how many were
   * new. `polledAt` is the start of the poll that read them, none for pushed events: only a poll's find
   * hurries the pace or tells of missed pushes.
   */
  async #handOn(
    events: readonly Stripe.Event[],
    seen: Map<string, number>,
    cut: number,
    polledAt?: number,
  ): Promise<number> {
    const push = this.#settings.push
    const fresh = events.filter((event) => !seen.has(event.id) && !push?.handled(event.id))
    const news = fresh.filter((event) => event.created >= cut)
    if (news.length > 0) {
      if (polledAt !== undefined) {
        this.#settings.pacer?.activity()
        this.#noteMissed(news, polledAt)
      }
      await this.#sink.events(news, false)
    }
    for (const event of fresh) seen.set(event.id, event.created)
    await push?.markHandled(fresh.map((event) => event.id))
    return news.length
  }

  /** Tells of events a poll found that pushes should have brought. */
  #noteMissed(news: readonly Stripe.Event[], polledAt: number): void {
    const { push, missedAfter = 0 } = this.#settings
    const count = push ? missedByPushes(push, news, polledAt, missedAfter) : 0
    if (count > 0) this.#sink.missed?.(count)
  }

  /**
   * Hands on the pushed events of the inbox that neither a poll nor an earlier push handled, then drops
   * them from the inbox: a crash in between re-reads them, and the handled ids absorb it.
   */
  async #drain(signal: AbortSignal): Promise<void> {
    const push = this.#settings.push
    if (!push) return
    const held = await push.inbox.held()
    if (held.length === 0) return
    let state = await this.init()
    if (!state.backfilled) state = await this.#backfill(state, signal)
    await push.load()
    const seen = new Map(state.seen)
    await this.#handOn(held, seen, Math.floor(state.since / 1000))
    await this.#save({ ...state, seen: [...seen] }, this.#settings.now())
    await push.inbox.remove(new Set(held.map((event) => event.id)))
    await this.#sink.settle()
    this.#settleSoon()
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
