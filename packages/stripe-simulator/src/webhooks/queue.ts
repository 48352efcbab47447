import type { Clock } from '../clock.js'
import type { Random } from '../random.js'

const MAX_WAKE_MS = 1000

/** Something to do once the simulator clock reaches `at`, in the lane (endpoint) `lane`. */
export interface Scheduled {
  readonly at: number
  readonly lane: string
}

interface Entry<T extends Scheduled> {
  readonly item: T
  readonly seq: number
}

/** One lane's queue: its items run one at a time, so that their order is kept unless shuffled. */
interface Lane<T extends Scheduled> {
  readonly ready: Entry<T>[]
  running: boolean
}

/** How the queue runs its items. */
export interface QueueHooks<T extends Scheduled> {
  /** Does one item (an HTTP attempt); may schedule more. */
  readonly run: (item: T) => Promise<void>
  /** Whether a lane's items that fall due together go in random order. */
  readonly shuffled: (lane: string) => boolean
}

/**
 * Work due on the simulator clock, like the store's scheduled payouts: nothing runs before its time,
 * and what is due runs at the next {@link DueQueue.pump} (an event, a request, `idle()`) or when the
 * timer set for the soonest item fires. Lanes run concurrently; each lane runs its items in order.
 */
export class DueQueue<T extends Scheduled> {
  readonly #clock: Clock
  readonly #random: Random
  readonly #hooks: QueueHooks<T>
  readonly #lanes = new Map<string, Lane<T>>()
  readonly #inflight = new Set<Promise<void>>()
  readonly #errors: unknown[] = []
  #waiting: Entry<T>[] = []
  #seq = 0
  #pumpQueued = false
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(clock: Clock, random: Random, hooks: QueueHooks<T>) {
    this.#clock = clock
    this.#random = random
    this.#hooks = hooks
  }

  /** Items not yet due, soonest first (ties in the order they were added). */
  get waiting(): readonly T[] {
    return [...this.#waiting].sort(byTime).map((entry) => entry.item)
  }

  /** Adds an item; it runs after the current synchronous work at the earliest, so that a burst forms one batch. */
  add(item: T): void {
    this.#waiting.push({ item, seq: this.#seq++ })
    if (this.#pumpQueued) return
    this.#pumpQueued = true
    void Promise.resolve().then(() => {
      this.#pumpQueued = false
      this.pump()
    })
  }

  /** Starts what is due now, then sets the timer for the soonest item left. */
  pump(): void {
    const now = this.#clock.now()
    const due = this.#waiting.filter((entry) => entry.item.at <= now).sort(byTime)
    if (due.length > 0) this.#waiting = this.#waiting.filter((entry) => entry.item.at > now)
    const byLane = new Map<string, Entry<T>[]>()
    for (const entry of due) {
      const batch = byLane.get(entry.item.lane)
      if (batch === undefined) byLane.set(entry.item.lane, [entry])
      else batch.push(entry)
    }
    for (const [name, batch] of byLane) {
      if (this.#hooks.shuffled(name)) this.#shuffle(batch)
      const lane = this.#lane(name)
      lane.ready.push(...batch)
      if (!lane.running) this.#start(lane)
    }
    this.#arm()
  }

  /** Resolves when nothing due is left to run or running; rethrows what a run threw. */
  async idle(): Promise<void> {
    for (;;) {
      this.pump()
      if (this.#inflight.size === 0) break
      await Promise.all([...this.#inflight])
    }
    if (this.#errors.length > 0) throw this.#errors.shift()
  }

  #lane(name: string): Lane<T> {
    let lane = this.#lanes.get(name)
    if (lane === undefined) {
      lane = { ready: [], running: false }
      this.#lanes.set(name, lane)
    }
    return lane
  }

  #start(lane: Lane<T>): void {
    lane.running = true
    const work: Promise<void> = Promise.resolve()
      .then(async () => {
        for (let next = lane.ready.shift(); next !== undefined; next = lane.ready.shift()) {
          await this.#hooks.run(next.item)
        }
      })
      .catch((error: unknown) => {
        this.#errors.push(error) // a simulator bug: surfaced by idle(), never an unhandled rejection
      })
      .finally(() => {
        lane.running = false
        this.#inflight.delete(work)
        this.#arm()
      })
    this.#inflight.add(work)
  }

  #shuffle(batch: Entry<T>[]): void {
    for (let i = batch.length - 1; i > 0; i--) {
      const j = Math.floor(this.#random.next() * (i + 1))
      ;[batch[i], batch[j]] = [batch[j] as Entry<T>, batch[i] as Entry<T>]
    }
  }

  /**
   * A timer for the soonest item, so that deliveries go out without any request; it never holds the
   * process. It wakes at least every second, as a clock may jump (a manual clock, a test's offset).
   */
  #arm(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer)
    this.#timer = undefined
    if (this.#waiting.length === 0) return
    const next = this.#waiting.reduce((soonest, entry) => Math.min(soonest, entry.item.at), Infinity)
    const delay = Math.min(Math.max(0, next - this.#clock.now()), MAX_WAKE_MS)
    const timer = setTimeout(() => {
      this.#timer = undefined
      this.pump()
    }, delay)
    ;(timer as { unref?: () => void }).unref?.()
    this.#timer = timer
  }
}

function byTime<T extends Scheduled>(a: Entry<T>, b: Entry<T>): number {
  return a.item.at - b.item.at || a.seq - b.seq
}
