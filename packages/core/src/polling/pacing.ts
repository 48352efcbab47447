/**
 * How often an account polls, so that its reads stay within the share of Stripe's read allocation that
 * CashNotify may use: `max(10,000, 500 × payments in 30 days)` reads a month, of which `share` (half, by
 * default: the shop's other integrations read too). A day's worth of that is spread evenly over the day,
 * less what enrichment reads; after activity the account polls at the shortest interval for a while, as
 * long as the last 24 hours left room for it.
 */
import { DEFAULTS } from '../shared/defaults.js'
import { READ_WINDOW_MS, type ReadLedger, type ReadsByKind } from '../stripe/read-ledger.js'
import type { PushIntake } from './push.js'

/** Stripe's floor: every account may read this much a month, whatever its payments. */
export const ALLOCATION_FLOOR = 10_000
/** Reads Stripe allocates per payment of the last 30 days. */
export const READS_PER_PAYMENT = 500

const DAY_MS = 24 * 3_600_000
/** Aim below the share, so that a busy hour or a catch-up does not take the month over it. */
const SAFETY = 0.9
/** Polls after a new event stay at the shortest interval this long. */
const ACTIVE_MS = 60_000
/** Short polls stop when the last 24 hours used this much of a day's share. */
const BURST_CEILING = 0.9

/** How an account's polls are paced. */
export interface PacingSettings {
  /** The shortest interval between polls, ms. */
  readonly pollInterval: number
  /** The longest interval between polls, ms (even when the allocation would want less). */
  readonly maxPollInterval: number
  /** The fraction of the allocation CashNotify may use, in (0, 1]. */
  readonly share: number
  /** The account's monthly read allocation, when Stripe gave it more than the estimate. */
  readonly monthly?: number | undefined
  /** The interval of polls while webhooks bring the events, ms: polls only reconcile then. */
  readonly reconcileInterval: number
}

/** What an account reads, against what it may read. */
export interface ReadUsage {
  /** Reads of the last 30 days (CashNotify's own). */
  readonly used30d: number
  /** The account's monthly read allocation: Stripe's estimate, or the one given. */
  readonly allocation: number
  /** The fraction of it CashNotify may use. */
  readonly share: number
  /** What 30 days would read: polls at the steady pace (away from activity), and the last 30 days' look-ups. */
  readonly projected30d: number
  /** The interval between polls now, ms. */
  readonly interval: number
  /** Reads of the last 30 days by kind. */
  readonly byKind: ReadsByKind
}

/** What {@link restingPace} takes: an account's allocation and the pacing options. */
export interface RestingPaceInput {
  /** The monthly read allocation. @default ALLOCATION_FLOOR */
  readonly allocation?: number
  /** The fraction CashNotify may use. @default 0.5 */
  readonly share?: number
  /** The shortest interval, ms. @default 5000 */
  readonly pollInterval?: number
  /** The longest interval, ms. @default 600000 */
  readonly maxPollInterval?: number
  /** Look-ups (enrichment, probes, metadata) a day, paid for before polls. @default 0 */
  readonly lookupsPerDay?: number
}

/** The pace of polls away from activity, and what a month of it reads. */
export interface RestingPace {
  /** The interval between polls, ms. */
  readonly interval: number
  /** What 30 days of polls at that interval read. */
  readonly pollsPer30d: number
  /** What CashNotify may read in 30 days: `share × allocation`. */
  readonly share30d: number
}

/**
 * The interval at which an account polls away from activity: a day's share of its allocation (less a
 * safety margin and the day's look-ups) spread evenly over the day, between the shortest and longest
 * intervals. `cashnotify check-key` shows it for a key; the poller paces by it.
 */
export function restingPace(input: RestingPaceInput = {}): RestingPace {
  const allocation = input.allocation ?? ALLOCATION_FLOOR
  const share = input.share ?? DEFAULTS.readAllocation.share
  const pollInterval = input.pollInterval ?? DEFAULTS.pollInterval
  const maxPollInterval = input.maxPollInterval ?? DEFAULTS.maxPollInterval
  const perDay = (share * allocation * SAFETY * DAY_MS) / READ_WINDOW_MS
  const forPolls = Math.max(1, perDay - (input.lookupsPerDay ?? 0))
  const interval = Math.min(maxPollInterval, Math.max(pollInterval, Math.round(DAY_MS / forPolls)))
  return { interval, pollsPer30d: Math.round(READ_WINDOW_MS / interval), share30d: share * allocation }
}

/** The pace of one account's polls, from its read ledger. */
export class Pacer {
  readonly #ledger: ReadLedger
  readonly #settings: PacingSettings
  readonly #now: () => number
  readonly #push: PushIntake | undefined
  #lastActivity = Number.NEGATIVE_INFINITY

  constructor(ledger: ReadLedger, settings: PacingSettings, now: () => number, push?: PushIntake) {
    this.#ledger = ledger
    this.#settings = settings
    this.#now = now
    this.#push = push
  }

  /** A poll found new events: the next ones come sooner, while there is room. */
  activity(): void {
    this.#lastActivity = this.#now()
  }

  /** The monthly read allocation: what was given, else Stripe's rule applied to the payments seen. */
  allocation(): number {
    return this.#settings.monthly ?? Math.max(ALLOCATION_FLOOR, READS_PER_PAYMENT * this.#ledger.payments())
  }

  /** The delay until the next poll, ms (before jitter). */
  interval(): number {
    // Webhooks bring the events: polls only reconcile, and activity does not hurry them.
    if (this.#push?.state === 'live') return this.#restInterval()
    const active = this.#now() - this.#lastActivity < ACTIVE_MS
    if (active && this.#ledger.total(DAY_MS) < this.#perDay() * BURST_CEILING)
      return this.#settings.pollInterval
    return this.#restInterval()
  }

  /** Whether the allocation follows the payments counted (it does unless the app gave it). */
  get countsPayments(): boolean {
    return this.#settings.monthly === undefined
  }

  /**
   * The payments a month at which polls at the shortest interval fit in the share: counting further
   * would not change the pace.
   */
  paymentsForShortestInterval(): number {
    const { pollInterval, share } = this.#settings
    const pollsPerWindow = READ_WINDOW_MS / pollInterval
    return Math.ceil(pollsPerWindow / (share * SAFETY * READS_PER_PAYMENT))
  }

  /** A day's share of the allocation, less the safety margin. */
  #perDay(): number {
    return (this.#settings.share * this.allocation() * SAFETY * DAY_MS) / READ_WINDOW_MS
  }

  /** The pace away from activity: the steady one, or the slower reconciliation while webhooks arrive. */
  #restInterval(): number {
    const steady = this.#steadyInterval()
    return this.#push?.state === 'live' ? Math.max(steady, this.#settings.reconcileInterval) : steady
  }

  /** What a day leaves for polls, once look-ups are paid for, spread evenly over it. */
  #steadyInterval(): number {
    const lastDay = this.#ledger.reads(DAY_MS)
    return restingPace({
      ...this.#settings,
      allocation: this.allocation(),
      lookupsPerDay: lastDay.enrichment + lastDay.probe + lastDay.metadata,
    }).interval
  }

  /** The account's reads against what it may read. */
  usage(): ReadUsage {
    return {
      used30d: this.#ledger.total(),
      allocation: this.allocation(),
      share: this.#settings.share,
      projected30d: this.#projected(),
      interval: this.interval(),
      byKind: this.#ledger.reads(),
    }
  }

  /**
   * 30 days of polls at the steady pace, with the look-ups of the last 30 days: look-ups follow payments,
   * which grow the allocation far faster, and a burst of activity is not a pace.
   */
  #projected(): number {
    const reads = this.#ledger.reads()
    const lookups = reads.enrichment + reads.probe + reads.metadata
    return Math.round(READ_WINDOW_MS / this.#restInterval()) + lookups
  }

  /** Whether 30 days at the steady pace would read more than the share. */
  overShare(): boolean {
    const usage = this.usage()
    return usage.projected30d > usage.share * usage.allocation
  }
}
