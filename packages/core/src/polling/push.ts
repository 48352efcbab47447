import type Stripe from 'stripe'
/**
 * What an account with a Stripe webhook endpoint keeps beside its polls: the pushed events not yet
 * handled (the inbox), the ids of every event handled in the last days whichever way it came (Stripe
 * retries a delivery for up to three days, long after a poll's seen ids are pruned), and whether pushes
 * are arriving — which lets polls slow to a reconciliation pace, and says when they stop.
 */
import { ExpiringIds } from '../shared/expiring-ids.js'
import { type KeyValueStore, RETENTION, STORE_KEYS } from '../shared/store.js'
import { PushInbox } from './inbox.js'

const HOUR_MS = 3_600_000

/** What an endpoint that never pushed is expected to have sent: a payment's own events. */
const FIRST_EXPECTED: ReadonlySet<string> = new Set(['charge.succeeded', 'payment_intent.succeeded'])

/**
 * `waiting`: a secret was given, nothing pushed yet (polls keep their pace); `live`: pushes arrive (polls
 * reconcile); `missing`: polls found events that pushes did not bring, since the start or since pushes
 * last arrived (polls keep their pace).
 */
export type PushState = 'waiting' | 'live' | 'missing'

/** One account's push side. */
export class PushIntake {
  readonly inbox: PushInbox
  readonly #handled: ExpiringIds
  #state: PushState = 'waiting'
  /** The event types pushed since the start: what the endpoint sends. */
  readonly #types = new Set<string>()
  #lastPushAt: number | undefined
  #firstUnpushedAt: number | undefined
  /** When this intake started waiting for pushes, ms since epoch: events before it were not its to get. */
  readonly since: number

  constructor(store: KeyValueStore, ref: string, now: () => number) {
    this.since = now()
    this.inbox = new PushInbox(store, STORE_KEYS.pushInbox(ref))
    this.#handled = new ExpiringIds(store, {
      key: STORE_KEYS.pushHandled(ref),
      retentionMs: RETENTION.pushedIdsMs,
      bucketMs: HOUR_MS,
      now,
    })
  }

  /** How pushes are doing. */
  get state(): PushState {
    return this.#state
  }

  /** When the last delivery arrived, ms since epoch. */
  get lastPushAt(): number | undefined {
    return this.#lastPushAt
  }

  /** A delivery of `type` arrived; resolves whether that ended a `missing` state. */
  pushed(at: number, type: string): boolean {
    this.#lastPushAt = at
    this.#types.add(type)
    const was = this.#state
    this.#state = 'live'
    return was === 'missing'
  }

  /**
   * Whether the endpoint has sent events of this type since the start: one it does not send (its
   * enabled events leave it out) says nothing of missed deliveries when a poll finds it.
   */
  delivers(type: string): boolean {
    return this.#types.has(type)
  }

  /**
   * Before any push: polls found a payment's own events, which every endpoint for CashNotify sends
   * (docs/webhooks.md), at `at`. Resolves whether pushes are now overdue: the first such poll was more
   * than `missedAfter` ago and still nothing was pushed.
   */
  polledUnpushed(types: readonly string[], at: number, missedAfter: number): boolean {
    if (this.#state !== 'waiting') return false
    if (this.#firstUnpushedAt === undefined && types.some((type) => FIRST_EXPECTED.has(type)))
      this.#firstUnpushedAt = at
    return this.#firstUnpushedAt !== undefined && at - this.#firstUnpushedAt >= missedAfter
  }

  /** Polls found events pushes did not bring; resolves whether that began a `missing` state. */
  missed(): boolean {
    const was = this.#state
    this.#state = 'missing'
    return was !== 'missing'
  }

  /** Reads the ids handled in the last days, once. */
  load(): Promise<void> {
    return this.#handled.load()
  }

  /** Whether an event was handled already, pushed or polled. */
  handled(id: string): boolean {
    return this.#handled.has(id)
  }

  /** Records events as handled. */
  async markHandled(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return
    this.#handled.add(ids)
    await this.#handled.flush()
  }

  /** Deletes what the push side persisted (the account was removed for good). */
  async forget(): Promise<void> {
    await this.inbox.forget()
    await this.#handled.clear()
  }
}

/**
 * How many of the events a poll found (`news`, at `polledAt`) the pushes missed, though they arrive; 0
 * while pushes are known missing, as that is already said.
 */
export function missedByPushes(
  push: PushIntake,
  news: readonly Stripe.Event[],
  polledAt: number,
  missedAfter: number,
): number {
  if (push.state === 'missing') return 0
  if (push.state === 'waiting') {
    // Nothing pushed since the start: overdue once a payment polled `missedAfter` ago is still not.
    const since = news.filter((event) => event.created * 1000 >= push.since)
    const types = since.map((event) => event.type)
    return push.polledUnpushed(types, polledAt, missedAfter) ? since.length : 0
  }
  // Only types the endpoint sends: its enabled events may leave some out.
  return news.filter((event) => event.created * 1000 < polledAt - missedAfter && push.delivers(event.type))
    .length
}
