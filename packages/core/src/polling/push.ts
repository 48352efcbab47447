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

/**
 * `waiting`: a secret was given, nothing pushed yet (polls keep their pace); `live`: pushes arrive (polls
 * reconcile); `missing`: polls found events that pushes did not bring (polls keep their pace again).
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

  constructor(store: KeyValueStore, ref: string, now: () => number) {
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

  /** Polls found events pushes did not bring; resolves whether that ended a `live` state. */
  missed(): boolean {
    const was = this.#state
    if (was === 'live') this.#state = 'missing'
    return was === 'live'
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
