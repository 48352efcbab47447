import { type Clock, unixSeconds } from './clock.js'
import type { AccountState } from './state.js'

/** Stripe's read allocation: reads an account may make per transaction, and the floor every account has. */
export interface ReadAllocationRules {
  /** Read (GET) requests allowed per transaction over the rolling 30 days. @default 500 */
  perTransaction: number
  /** Reads every account has over 30 days, whatever its transactions. @default 10_000 */
  minimum: number
}

/** Stripe's figures ("API read request allocations" on its rate-limits page). */
export const DEFAULT_READ_ALLOCATION: Readonly<ReadAllocationRules> = Object.freeze({
  perTransaction: 500,
  minimum: 10_000,
})

/** Stripe measures the allocation over the most recent 30 days. */
export const READ_ALLOCATION_WINDOW_SECONDS = 30 * 24 * 60 * 60

/** Where an account stands against its read allocation, on the simulator clock. */
export interface ReadAllocation {
  /** Read (GET) requests of the account, both modes, in the last 30 days. */
  readonly reads30d: number
  /** Live-mode charges that succeeded in the last 30 days. */
  readonly transactions30d: number
  /** `max(minimum, perTransaction × transactions30d)`. */
  readonly allocation: number
  /** Reads left before the allocation is used up (never below 0). */
  readonly remaining: number
  /** Whether reads beyond the allocation are answered 429. */
  readonly enforced: boolean
}

/**
 * A count over a rolling window, kept as per-second buckets: a month of polling every few seconds is
 * a few hundred thousand reads, counted in O(1) amortised per read.
 */
class RollingCount {
  readonly #buckets: { second: number; count: number }[] = []
  #total = 0

  add(second: number): void {
    const last = this.#buckets.at(-1)
    if (last !== undefined && last.second === second) last.count++
    else if (last === undefined || last.second < second) this.#buckets.push({ second, count: 1 })
    else {
      // A clock set backwards: keep the buckets in order.
      const index = this.#buckets.findIndex((bucket) => bucket.second >= second)
      const at = this.#buckets[index]
      if (at?.second === second) at.count++
      else this.#buckets.splice(index, 0, { second, count: 1 })
    }
    this.#total++
  }

  /** Counts in `(now - window, now]`; older buckets are dropped for good. */
  within(now: number, window: number): number {
    let first = 0
    while (first < this.#buckets.length && (this.#buckets[first]?.second ?? 0) <= now - window) {
      this.#total -= this.#buckets[first]?.count ?? 0
      first++
    }
    if (first > 0) this.#buckets.splice(0, first)
    let future = 0
    for (let i = this.#buckets.length - 1; i >= 0 && (this.#buckets[i]?.second ?? 0) > now; i--) {
      future += this.#buckets[i]?.count ?? 0
    }
    return this.#total - future
  }
}

/**
 * Counts each account's reads on the simulator clock and says whether the next one is over its read
 * allocation. Reads are GET requests authenticated as the account, in either mode: the allocation is the
 * account's. Transactions are the account's live-mode charges with `status: 'succeeded'`: test-mode
 * payments process nothing, so a test-mode-only account has the floor.
 */
export class ReadLedger {
  readonly #rules: ReadAllocationRules
  readonly #enforced: boolean
  readonly #clock: Clock
  readonly #reads = new Map<string, RollingCount>()

  constructor(rules: ReadAllocationRules, enforced: boolean, clock: Clock) {
    this.#rules = rules
    this.#enforced = enforced
    this.#clock = clock
  }

  /** The rules in force. */
  get rules(): Readonly<ReadAllocationRules> {
    return this.#rules
  }

  /** Counts one read of the account, now. */
  record(account: string): void {
    let count = this.#reads.get(account)
    if (count === undefined) {
      count = new RollingCount()
      this.#reads.set(account, count)
    }
    count.add(unixSeconds(this.#clock))
  }

  /** The account's standing now. */
  status(account: AccountState): ReadAllocation {
    const now = unixSeconds(this.#clock)
    const reads30d = this.#reads.get(account.info.id)?.within(now, READ_ALLOCATION_WINDOW_SECONDS) ?? 0
    const transactions30d = succeededCharges(account, now - READ_ALLOCATION_WINDOW_SECONDS)
    const allocation = Math.max(this.#rules.minimum, this.#rules.perTransaction * transactions30d)
    return {
      reads30d,
      transactions30d,
      allocation,
      remaining: Math.max(0, allocation - reads30d),
      enforced: this.#enforced,
    }
  }

  /** The standing of an account whose next read must be refused, or undefined to let it through. */
  refusal(account: AccountState): ReadAllocation | undefined {
    if (!this.#enforced) return undefined
    const status = this.status(account)
    return status.remaining === 0 ? status : undefined
  }
}

/** Live charges that succeeded, created after `since` (the collection is in `created` order). */
function succeededCharges(account: AccountState, since: number): number {
  const charges = account.live.collection('charge')
  let count = 0
  for (let i = charges.size - 1; i >= 0; i--) {
    const entry = charges.at(i)
    if (entry === undefined || entry.created <= since) break
    if ((entry.value as { status?: unknown }).status === 'succeeded') count++
  }
  return count
}

/** Checks user-supplied rules: whole numbers, at least 1 read per transaction. */
export function resolveReadAllocation(input: Partial<ReadAllocationRules> = {}): ReadAllocationRules {
  const rules = { ...DEFAULT_READ_ALLOCATION, ...input }
  for (const [name, value] of Object.entries(rules)) {
    if (!Number.isInteger(value) || value < (name === 'minimum' ? 0 : 1)) {
      throw new RangeError(
        `[stripe-simulator] Expected \`readAllocation.${name}\` to be an integer >= ${name === 'minimum' ? 0 : 1}, got ${value}.`,
      )
    }
  }
  return rules
}
