/** A source of "now", in milliseconds since the Unix epoch. */
export interface Clock {
  /** The current time in milliseconds since the Unix epoch. */
  now(): number
}

/** The wall clock (`Date.now()`): the simulator's default notion of Stripe's "now". */
export const systemClock: Clock = Object.freeze({ now: (): number => Date.now() })

/**
 * Real time that never goes backwards: `performance.timeOrigin + performance.now()`, still in Unix
 * milliseconds. The default clock of rate-limit windows and request timestamps, so that a wall-clock
 * step (NTP) cannot open or close a window.
 */
export const monotonicClock: Clock = Object.freeze({
  now: (): number => performance.timeOrigin + performance.now(),
})

/**
 * A clock that moves only when told to: for tests of retention, `created` filters and rate windows.
 *
 * @example
 * ```ts
 * const clock = new ManualClock(Date.UTC(2025, 0, 1))
 * const sim = new StripeSimulator({ clock })
 * clock.advance(31 * 24 * 3600 * 1000) // events older than 30 days disappear
 * ```
 */
export class ManualClock implements Clock {
  #ms: number

  /** @param startMs - the initial time in Unix milliseconds. @default Date.now() */
  constructor(startMs: number = Date.now()) {
    this.#ms = checkTime(startMs, 'startMs')
  }

  /** The current time in Unix milliseconds. */
  now(): number {
    return this.#ms
  }

  /** Moves the clock forward by `ms` milliseconds (never backwards: use {@link ManualClock.set}). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`[stripe-simulator] Expected \`ms\` to be a finite number >= 0, got ${ms}.`)
    }
    this.#ms += ms
  }

  /** Sets the clock to `ms` (Unix milliseconds); it may go backwards. */
  set(ms: number): void {
    this.#ms = checkTime(ms, 'ms')
  }
}

function checkTime(ms: number, name: string): number {
  if (!Number.isFinite(ms)) {
    throw new RangeError(`[stripe-simulator] Expected \`${name}\` to be a finite number, got ${ms}.`)
  }
  return ms
}

/** Unix seconds of a clock, as Stripe's `created` fields count time. */
export function unixSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000)
}
