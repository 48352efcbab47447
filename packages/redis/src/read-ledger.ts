/**
 * An account's read ledger shared by every process: core's `ReadLedger` (reads by hour and kind over a
 * rolling 30 days, and the payments seen) kept as counters in one Redis hash. Each process adds its own
 * counts with `HINCRBY`, so that two processes never overwrite each other's, as two whole-object writes
 * to a plain store would.
 */
import type { Redis } from 'ioredis'
import type { ClusterKeys } from './keys.js'

/** What a read was for (core's `ReadKind`). */
export type SharedReadKind = 'poll' | 'enrichment' | 'probe' | 'metadata'

const KINDS: readonly SharedReadKind[] = ['poll', 'enrichment', 'probe', 'metadata']
const HOUR_MS = 3_600_000
/** Stripe averages reads over a rolling 30 days. */
const WINDOW_HOURS = 720
/** The hash outlives its newest count by the window, then Redis drops it. */
const KEEP_MS = (WINDOW_HOURS + 24) * HOUR_MS

/** One account's reads and payments, as seen from one process: its own pending counts plus everyone's flushed ones. */
export class SharedReadLedger {
  readonly #redis: Redis
  readonly #key: string
  readonly #now: () => number
  /** Counts recorded here and not flushed yet, by field (`<hour>:<kind>` or `<hour>:payments`). */
  readonly #pending = new Map<string, number>()
  /** Every process's flushed counts, as of the last {@link SharedReadLedger.load}. */
  #loaded = new Map<string, number>()

  constructor(redis: Redis, keys: ClusterKeys, account: string, now: () => number = Date.now) {
    this.#redis = redis
    this.#key = keys.reads(account)
    this.#now = now
  }

  /** Counts reads of a kind, now. */
  record(kind: SharedReadKind, count = 1): void {
    this.#add(`${this.#hour()}:${kind}`, count)
  }

  /** Counts successful payments seen, at `at` (ms since epoch; now by default). */
  recordPayments(count: number, at = this.#now()): void {
    if (count > 0) this.#add(`${Math.floor(at / HOUR_MS)}:payments`, count)
  }

  /** Adds the pending counts to the shared ones, in one transaction; kept for the next flush if it fails. */
  async flush(): Promise<void> {
    if (this.#pending.size === 0) return
    const flushing = [...this.#pending]
    this.#pending.clear()
    const transaction = this.#redis.multi()
    for (const [field, count] of flushing) transaction.hincrby(this.#key, field, count)
    transaction.pexpire(this.#key, KEEP_MS)
    try {
      const replies = await transaction.exec()
      const failed = replies?.find(([error]) => error !== null)
      if (replies === null || failed) throw failed?.[0] ?? new Error('The ledger transaction was discarded.')
    } catch (error) {
      for (const [field, count] of flushing) this.#add(field, count)
      throw error
    }
  }

  /** Reads every process's flushed counts, dropping hours past the window. */
  async load(): Promise<void> {
    const fields = await this.#redis.hgetall(this.#key)
    const oldest = this.#hour() - WINDOW_HOURS
    const stale = Object.keys(fields).filter((field) => Number(field.split(':')[0]) <= oldest)
    if (stale.length > 0) await this.#redis.hdel(this.#key, ...stale)
    this.#loaded = new Map(
      Object.entries(fields)
        .filter(([field]) => !stale.includes(field))
        .map(([field, count]) => [field, Number(count)]),
    )
  }

  /** Reads by kind in the last `windowMs` (30 days by default): loaded counts plus this process's pending ones. */
  reads(windowMs = WINDOW_HOURS * HOUR_MS): Readonly<Record<SharedReadKind, number>> {
    const totals: Record<SharedReadKind, number> = { poll: 0, enrichment: 0, probe: 0, metadata: 0 }
    const from = this.#hour() - Math.ceil(windowMs / HOUR_MS) + 1
    for (const [field, count] of this.#counts()) {
      const [hour, kind] = field.split(':')
      const known = KINDS.find((k) => k === kind)
      if (known && Number(hour) >= from) totals[known] += count
    }
    return totals
  }

  /** Every read in the last `windowMs`. */
  total(windowMs?: number): number {
    const byKind = this.reads(windowMs)
    return byKind.poll + byKind.enrichment + byKind.probe + byKind.metadata
  }

  /** Successful payments seen in the last 30 days. */
  payments(): number {
    let sum = 0
    for (const [field, count] of this.#counts()) {
      const [hour, kind] = field.split(':')
      if (kind === 'payments' && Number(hour) > this.#hour() - WINDOW_HOURS) sum += count
    }
    return sum
  }

  /** Forgets every count, here and in Redis. */
  async forget(): Promise<void> {
    this.#pending.clear()
    this.#loaded.clear()
    await this.#redis.del(this.#key)
  }

  #counts(): Map<string, number> {
    const all = new Map(this.#loaded)
    for (const [field, count] of this.#pending) all.set(field, (all.get(field) ?? 0) + count)
    return all
  }

  #add(field: string, count: number): void {
    this.#pending.set(field, (this.#pending.get(field) ?? 0) + count)
  }

  #hour(): number {
    return Math.floor(this.#now() / HOUR_MS)
  }
}
