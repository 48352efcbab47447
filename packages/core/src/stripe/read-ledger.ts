/**
 * What an account has read from Stripe, hour by hour over a rolling 30 days, by kind: Stripe allocates
 * each account's reads (GETs) by its transactions, and every integration of the account spends the same
 * allocation, so CashNotify counts its own and persists the count across restarts. The successful
 * payments it saw are counted beside them: they are what the allocation grows with.
 */
import type { KeyValueStore } from '../shared/store.js'

/** What a read was for. */
export type ReadKind = 'poll' | 'enrichment' | 'probe' | 'metadata'

/** Reads by kind. */
export type ReadsByKind = Readonly<Record<ReadKind, number>>

const KINDS: readonly ReadKind[] = ['poll', 'enrichment', 'probe', 'metadata']
const HOUR_MS = 3_600_000
/** Stripe's window: reads are averaged over a rolling 30 days. */
export const READ_WINDOW_MS = 30 * 24 * HOUR_MS

/** One hour's counts: reads by kind, then payments. */
type Bucket = [poll: number, enrichment: number, probe: number, metadata: number, payments: number]

interface Stored {
  readonly v: 1
  readonly hours: ReadonlyArray<readonly [hour: number, ...counts: number[]]>
}

function isStored(value: unknown): value is Stored {
  return typeof value === 'object' && value !== null && (value as Partial<Stored>).v === 1
}

/** One account's reads and payments, persisted under one key. */
export class ReadLedger {
  readonly #store: KeyValueStore
  readonly #key: string
  readonly #now: () => number
  readonly #hours = new Map<number, Bucket>()
  /** Sums already made, by what they sum: valid while nothing is counted and the hour stays. */
  readonly #sums = new Map<string, { readonly hour: number; readonly value: ReadsByKind }>()
  #dirty = false
  #loading: Promise<void> | undefined

  constructor(store: KeyValueStore, key: string, now: () => number) {
    this.#store = store
    this.#key = key
    this.#now = now
  }

  /** Reads what was persisted, once; counts recorded before it are kept. */
  load(): Promise<void> {
    this.#loading ??= this.#load().catch((error: unknown) => {
      this.#loading = undefined
      throw error
    })
    return this.#loading
  }

  /** Counts reads of a kind, now. */
  record(kind: ReadKind, count = 1): void {
    const bucket = this.#bucket()
    const i = KINDS.indexOf(kind)
    bucket[i] = (bucket[i] ?? 0) + count
    this.#changed()
  }

  /** Counts successful payments seen, at `at` (ms since epoch; now by default). */
  recordPayments(count: number, at = this.#now()): void {
    if (count <= 0) return
    const bucket = this.#bucketOf(Math.floor(at / HOUR_MS))
    bucket[4] += count
    this.#changed()
  }

  /** Whether nothing was ever counted: an account new to CashNotify, or to the ledger. */
  get empty(): boolean {
    return this.#hours.size === 0
  }

  /**
   * Reads by kind in the last `windowMs` (the whole 30 days by default). Pacing asks several times a poll:
   * the sum is made once per hour and change, not once per question.
   */
  reads(windowMs = READ_WINDOW_MS): ReadsByKind {
    const now = this.#hour()
    const known = this.#sums.get(`reads:${windowMs}`)
    if (known?.hour === now) return known.value
    const totals: Record<ReadKind, number> = { poll: 0, enrichment: 0, probe: 0, metadata: 0 }
    const first = now - Math.ceil(windowMs / HOUR_MS) + 1
    for (const [hour, bucket] of this.#hours) {
      if (hour < first) continue
      KINDS.forEach((kind, i) => {
        totals[kind] += bucket[i] ?? 0
      })
    }
    this.#sums.set(`reads:${windowMs}`, { hour: now, value: totals })
    return totals
  }

  /** Every read in the last `windowMs`. */
  total(windowMs = READ_WINDOW_MS): number {
    const byKind = this.reads(windowMs)
    return byKind.poll + byKind.enrichment + byKind.probe + byKind.metadata
  }

  /** Successful payments seen in the last 30 days. */
  payments(): number {
    let sum = 0
    for (const [hour, bucket] of this.#hours) if (hour > this.#hour() - 720) sum += bucket[4]
    return sum
  }

  /** Writes the counts if they changed, dropping hours past the window. */
  async flush(): Promise<void> {
    if (!this.#dirty) return
    this.#prune()
    this.#dirty = false
    const hours = [...this.#hours].map(([hour, bucket]) => [hour, ...bucket] as const)
    try {
      await this.#store.set(this.#key, { v: 1, hours } satisfies Stored)
    } catch (error) {
      this.#dirty = true
      throw error
    }
  }

  /** Forgets every count, in memory and in the store. */
  async forget(): Promise<void> {
    this.#hours.clear()
    this.#sums.clear()
    this.#dirty = false
    await this.#store.delete(this.#key)
  }

  async #load(): Promise<void> {
    const stored = await this.#store.get(this.#key)
    if (!isStored(stored)) return
    for (const [hour, ...counts] of stored.hours) {
      if (!Number.isInteger(hour)) continue
      const bucket = this.#bucketOf(hour)
      counts.slice(0, 5).forEach((count, i) => {
        if (Number.isFinite(count)) bucket[i] = (bucket[i] ?? 0) + count
      })
    }
    this.#sums.clear()
    this.#prune()
  }

  #changed(): void {
    this.#dirty = true
    this.#sums.clear()
  }

  #hour(): number {
    return Math.floor(this.#now() / HOUR_MS)
  }

  #bucket(): Bucket {
    return this.#bucketOf(this.#hour())
  }

  #bucketOf(hour: number): Bucket {
    let bucket = this.#hours.get(hour)
    if (!bucket) {
      bucket = [0, 0, 0, 0, 0]
      this.#hours.set(hour, bucket)
    }
    return bucket
  }

  #prune(): void {
    const oldest = this.#hour() - 720
    for (const hour of this.#hours.keys()) if (hour <= oldest) this.#hours.delete(hour)
  }
}
