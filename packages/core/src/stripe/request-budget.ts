import PQueue from 'p-queue'
import { DEFAULTS } from '../shared/defaults.js'
import type { KeyMode } from './credential.js'

/** How many Stripe requests one account may make. Defaults stay below Stripe's published limits. */
export interface RequestBudgetOptions {
  /** Most requests in any one-second window, live mode (Stripe allows about 100). @default 80 */
  livePerSecond?: number
  /** Most requests in any one-second window, test mode (Stripe allows about 25). @default 20 */
  testPerSecond?: number
  /** Most requests to one endpoint in any one-second window (Stripe allows about 25). @default 20 */
  perEndpointPerSecond?: number
  /** Requests in flight at once. @default 8 */
  concurrency?: number
  /**
   * Start as if the last second's budget were spent: a process that restarts cannot know what the one
   * before it sent in its last second, so its first requests wait up to 1.1 s rather than risk going over
   * Stripe's limit. `false` skips that wait (tests on fake timers). @default true
   */
  startFull?: boolean
}

/** A limit shared with other budgets, taken at the moment of sending: requests in flight for a whole process. */
export interface SendGate {
  /** Resolves with the function that gives the slot back. */
  slot(): Promise<() => void>
}

/**
 * Sends are spaced as if Stripe's one-second windows were 1.1 s long: arrivals can bunch up by network
 * jitter, and a budget kept exactly at the client would then be exceeded in a window at Stripe's end.
 */
const WINDOW_MS = 1100

/** Timestamps of the sends in the last second; answers how long until one more fits. */
class SlidingWindow {
  readonly #cap: number
  #sends: number[] = []
  /** Requests between choosing this window and being counted in it: it must not be dropped meanwhile. */
  waiting = 0

  /** `fullAt`: the window starts full, as if `cap` sends had just been made at that moment. */
  constructor(cap: number, fullAt?: number) {
    this.#cap = cap
    if (fullAt !== undefined) for (let i = 0; i < cap; i++) this.#sends.push(fullAt)
  }

  waitMs(now: number): number {
    // An idle window lets its array go: one that began full keeps room for `cap` sends otherwise.
    if (this.idle(now)) this.#sends = []
    while (this.#sends.length > 0 && (this.#sends[0] ?? 0) <= now - WINDOW_MS) this.#sends.shift()
    if (this.#sends.length < this.#cap) return 0
    return (this.#sends[0] ?? now) + WINDOW_MS - now
  }

  record(now: number): void {
    this.#sends.push(now)
  }

  /** Whether no send of the last second is left: the window is as good as a new, empty one. */
  idle(now: number): boolean {
    return (this.#sends.at(-1) ?? Number.NEGATIVE_INFINITY) <= now - WINDOW_MS
  }
}

/**
 * One account's request budget. p-queue bounds concurrency and keeps order; a sliding window per account
 * and per endpoint is checked at the moment a request is sent, so no one-second window ever holds more
 * sends than allowed (two nested interval queues would count queue entries, not sends, and can burst).
 */
export class RequestBudget {
  readonly #queue: PQueue
  readonly #account: SlidingWindow
  readonly #endpointCap: number
  readonly #endpoints = new Map<string, SlidingWindow>()
  readonly #now: () => number
  /** When the budget began full (see `startFull`), or undefined. */
  readonly #fullAt: number | undefined
  #pausedUntil = 0

  constructor(mode: KeyMode, options: RequestBudgetOptions = {}, now: () => number = Date.now) {
    const settings = { ...DEFAULTS.budget, ...options }
    this.#now = now
    this.#fullAt = settings.startFull ? now() : undefined
    this.#queue = new PQueue({ concurrency: settings.concurrency })
    const cap = mode === 'live' ? settings.livePerSecond : settings.testPerSecond
    this.#account = new SlidingWindow(cap, this.#fullAt)
    this.#endpointCap = settings.perEndpointPerSecond
  }

  /**
   * Runs `send` when the budget allows, and the `gate` too; `endpoint` is e.g. `GET /v1/events`. The send
   * is counted when it goes out, after the gate, so waiting for the gate never bunches sends into a window.
   */
  run<T>(endpoint: string, send: () => Promise<T>, gate?: SendGate): Promise<T> {
    return this.#queue.add(async () => {
      const release = await this.#acquire(endpoint, gate)
      try {
        return await send()
      } finally {
        release?.()
      }
    })
  }

  /** Holds every request of the account for a while, e.g. after a 429. */
  pauseFor(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms)
  }

  /** Requests waiting or in flight. */
  get size(): number {
    return this.#queue.size + this.#queue.pending
  }

  /** Resolves when nothing is waiting or in flight. */
  onIdle(): Promise<void> {
    return this.#queue.onIdle()
  }

  /**
   * Drops the windows of endpoints not used in the last second (a new one is the same), so that the
   * dozen endpoints a key check reads do not stay in memory for each of thousands of accounts.
   */
  #forgetIdleWindows(): void {
    const now = this.#now()
    for (const [endpoint, window] of this.#endpoints)
      if (window.waiting === 0 && window.idle(now)) this.#endpoints.delete(endpoint)
  }

  async #acquire(endpoint: string, gate: SendGate | undefined): Promise<(() => void) | undefined> {
    let window = this.#endpoints.get(endpoint)
    if (!window) {
      this.#forgetIdleWindows()
      window = new SlidingWindow(this.#endpointCap, this.#fullAt)
      this.#endpoints.set(endpoint, window)
    }
    const waitMs = (now: number): number =>
      Math.max(this.#pausedUntil - now, this.#account.waitMs(now), window.waitMs(now))
    window.waiting++
    try {
      return await this.#sendWhenAllowed(window, waitMs, gate)
    } finally {
      window.waiting--
    }
  }

  async #sendWhenAllowed(
    window: SlidingWindow,
    waitMs: (now: number) => number,
    gate: SendGate | undefined,
  ): Promise<(() => void) | undefined> {
    for (;;) {
      let wait = waitMs(this.#now())
      if (wait <= 0) {
        const release = await gate?.slot()
        // The window may have filled, or a pause begun, while the gate was waited for.
        const now = this.#now()
        wait = waitMs(now)
        if (wait <= 0) {
          this.#account.record(now)
          window.record(now)
          return release
        }
        release?.()
      }
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
  }
}
