/**
 * How often an account polls, so that its reads stay within the share of Stripe's read allocation that
 * CashNotify may use: `max(10,000, 500 × payments in 30 days)` reads a month, of which `share` (half, by
 * default: the shop's other integrations read too). A day's worth of that is spread evenly over the day,
 * less what enrichment reads; after activity the account polls at the shortest interval for a while, as
 * long as the last 24 hours left room for it.
 */
import { READ_WINDOW_MS, type ReadLedger, type ReadsByKind } from '../stripe/read-ledger.js'

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
}

/** What an account reads, against what it may read. */
export interface ReadUsage {
  /** Reads of the last 30 days (CashNotify's own). */
  readonly used30d: number
  /** The account's monthly read allocation: Stripe's estimate, or the one given. */
  readonly allocation: number
  /** The fraction of it CashNotify may use. */
  readonly share: number
  /** What 30 days at the pace of the last 24 hours would read. */
  readonly projected30d: number
  /** The interval between polls now, ms. */
  readonly interval: number
  /** Reads of the last 30 days by kind. */
  readonly byKind: ReadsByKind
}

/** The pace of one account's polls, from its read ledger. */
export class Pacer {
  readonly #ledger: ReadLedger
  readonly #settings: PacingSettings
  readonly #now: () => number
  #lastActivity = Number.NEGATIVE_INFINITY

  constructor(ledger: ReadLedger, settings: PacingSettings, now: () => number) {
    this.#ledger = ledger
    this.#settings = settings
    this.#now = now
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
    const { pollInterval, maxPollInterval, share } = this.#settings
    const perDay = (share * this.allocation() * SAFETY * DAY_MS) / READ_WINDOW_MS
    const lastDay = this.#ledger.reads(DAY_MS)
    const used = lastDay.poll + lastDay.enrichment + lastDay.probe + lastDay.metadata
    const active = this.#now() - this.#lastActivity < ACTIVE_MS
    if (active && used < perDay * BURST_CEILING) return pollInterval
    // What a day leaves for polls, once enrichment and the rest are paid for, spread over the day.
    const forPolls = Math.max(1, perDay - (used - lastDay.poll))
    return Math.min(maxPollInterval, Math.max(pollInterval, Math.round(DAY_MS / forPolls)))
  }

  /** The account's reads against what it may read. */
  usage(): ReadUsage {
    return {
      used30d: this.#ledger.total(),
      allocation: this.allocation(),
      share: this.#settings.share,
      projected30d: Math.round((this.#ledger.total(DAY_MS) * READ_WINDOW_MS) / DAY_MS),
      interval: this.interval(),
      byKind: this.#ledger.reads(),
    }
  }

  /** Whether 30 days at the pace of the last day would read more than the share. */
  overShare(): boolean {
    const usage = this.usage()
    return usage.projected30d > usage.share * usage.allocation
  }
}
