/**
 * The aggregates digests are built from, kept in the store as events pass: per account, per time zone a
 * schedule uses, one record per local day, the last {@link KEEP_DAYS} days only. A batch of events
 * rewrites only the days it touched (and the small index when a day appears), never the history.
 *
 * - `cashnotify:digest:<ref>:<zone>` → `{ v: 1, days: ['2026-11-01', …] }`
 * - `cashnotify:digest:<ref>:<zone>:<day>` → a {@link DayRecord}
 * - `cashnotify:digest:<ref>:known` → the customers seen paying (hashed) and the cancellations counted,
 *   each kept 400 days after it was last seen (an `ExpiringIds`)
 */
import { createHash } from 'node:crypto'
import type { DomainEvent, SaleEvent } from '../enrich/domain-events.js'
import { addDays, type DayKey } from '../shared/day-keys.js'
import { ExpiringIds } from '../shared/expiring-ids.js'
import { type KeyValueStore, RETENTION, STORE_KEYS } from '../shared/store.js'
import { ZoneClock } from '../shared/zone-clock.js'
import { type ApplyContext, applyEvent } from './apply.js'
import { type DayRecord, emptyDay, isDayRecord } from './day-record.js'
import { hourSlot, hoursIn } from './hour-slots.js'

/** Days kept before today: a weekly digest and the week it is compared with, and a day to spare. */
export const KEEP_DAYS = 15

const DAY_MS = 86_400_000

/** Options of {@link DigestAggregates}. */
export interface DigestAggregatesOptions {
  readonly store: KeyValueStore
  /** The time zones whose days are kept (those of the schedules). */
  readonly timeZones: readonly string[]
  /** The clock, ms since epoch. */
  readonly now: () => number
  /**
   * Clustered: other processes write these records too (each account's records by its lease holder), so
   * nothing read is kept from one call to the next. @default false
   */
  readonly shared?: boolean
}

/** One account's days in one zone: the index and the records read so far. */
interface ZoneDays {
  readonly calendar: ZoneClock
  days: Set<DayKey> | undefined
  readonly records: Map<DayKey, DayRecord>
}

/** One account's aggregates. */
interface AccountState {
  known: ExpiringIds
  readonly zones: Map<string, ZoneDays>
  /** Batches of one account are counted one after another. */
  queue: Promise<void>
}

/** Every account's day records, as events pass; one per instance. */
export class DigestAggregates {
  readonly #options: DigestAggregatesOptions
  readonly #accounts = new Map<string, AccountState>()
  /** One clock per zone, shared by every account (each holds an `Intl.DateTimeFormat`). */
  readonly #clocks = new Map<string, ZoneClock>()

  constructor(options: DigestAggregatesOptions) {
    this.#options = options
  }

  /** The time zones kept. */
  get timeZones(): readonly string[] {
    return this.#options.timeZones
  }

  /** Counts a batch of an account's events in their days; resolves once the records are in the store. */
  record(ref: string, events: readonly DomainEvent[]): Promise<void> {
    if (events.length === 0 || this.#options.timeZones.length === 0) return Promise.resolve()
    const state = this.#account(ref)
    const run = state.queue.then(() => this.#record(ref, state, events))
    state.queue = run.catch(() => {})
    return run
  }

  /** The records of some days of an account in a zone; a day without one is empty. */
  async days(ref: string, timeZone: string, keys: readonly DayKey[]): Promise<DayRecord[]> {
    const state = this.#account(ref)
    await state.queue
    this.#forgetReads(ref, state)
    const zone = this.#zone(state, timeZone)
    return Promise.all(keys.map((key) => this.#day(ref, zone, key)))
  }

  /** Deletes everything kept of an account (it was removed for good). */
  async forget(ref: string): Promise<void> {
    if (this.#options.timeZones.length === 0) return
    const state = this.#account(ref)
    await state.queue
    const { store } = this.#options
    for (const timeZone of this.#options.timeZones) {
      const zone = this.#zone(state, timeZone)
      await this.#loadIndex(ref, zone)
      await Promise.all(
        [...(zone.days ?? [])].map((day) => store.delete(STORE_KEYS.digestDay(ref, timeZone, day))),
      )
      await store.delete(STORE_KEYS.digestDays(ref, timeZone))
    }
    await state.known.clear()
    this.#accounts.delete(ref)
  }

  async #record(ref: string, state: AccountState, events: readonly DomainEvent[]): Promise<void> {
    this.#forgetReads(ref, state)
    await state.known.load()
    const firsts = this.#firsts(ref, state.known, events)
    for (const timeZone of this.#options.timeZones) {
      const zone = this.#zone(state, timeZone)
      await this.#loadIndex(ref, zone)
      const oldest = addDays(zone.calendar.dayOf(this.#options.now()), -KEEP_DAYS)
      const touched = new Set<DayKey>()
      for (const event of events) {
        const key = zone.calendar.dayOf(event.createdAt.getTime())
        if (key < oldest) continue // older than anything a digest still shows
        const record = await this.#day(ref, zone, key)
        const context: ApplyContext = {
          hours: hoursIn(zone.calendar, key),
          slot: (ms) => hourSlot(zone.calendar, key, ms),
          customerKey: (sale: SaleEvent) => customerKey(ref, sale),
          first: firsts.has(event.id),
        }
        if (applyEvent(record, event, context)) touched.add(key)
      }
      await this.#write(ref, zone, touched, oldest)
    }
    await state.known.flush()
  }

  /**
   * The ids of the events that are a customer's first payment or a subscription's first cancellation,
   * decided once for every zone; every customer and cancellation is marked seen.
   */
  #firsts(ref: string, known: ExpiringIds, events: readonly DomainEvent[]): Set<string> {
    const firsts = new Set<string>()
    for (const event of events) {
      const customer = event.type === 'sale' ? customerKey(ref, event) : undefined
      const id =
        customer !== undefined
          ? `c:${customer}`
          : event.type === 'subscription.canceled'
            ? `x:${event.subscription.id}`
            : undefined
      if (id === undefined) continue
      if (!known.has(id)) firsts.add(event.id)
      known.add([id])
    }
    return firsts
  }

  /** Index first when a day appears (a named day without a record reads empty), then the records, then pruning. */
  async #write(ref: string, zone: ZoneDays, touched: ReadonlySet<DayKey>, oldest: DayKey): Promise<void> {
    const { store } = this.#options
    const { timeZone } = zone.calendar
    const days = zone.days ?? new Set<DayKey>()
    const expired = [...days].filter((day) => day < oldest)
    const added = [...touched].filter((day) => !days.has(day))
    if (added.length > 0 || expired.length > 0) {
      for (const day of added) days.add(day)
      for (const day of expired) {
        days.delete(day)
        zone.records.delete(day)
      }
      await store.set(STORE_KEYS.digestDays(ref, timeZone), { v: 1, days: [...days].sort() })
    }
    await Promise.all(
      [...touched].map((day) => store.set(STORE_KEYS.digestDay(ref, timeZone, day), zone.records.get(day))),
    )
    await Promise.all(expired.map((day) => store.delete(STORE_KEYS.digestDay(ref, timeZone, day))))
  }

  async #loadIndex(ref: string, zone: ZoneDays): Promise<void> {
    if (zone.days) return
    const index = (await this.#options.store.get(STORE_KEYS.digestDays(ref, zone.calendar.timeZone))) as
      | { days?: unknown }
      | undefined
    const days = Array.isArray(index?.days)
      ? index.days.filter((d): d is string => typeof d === 'string')
      : []
    zone.days = new Set(days)
  }

  async #day(ref: string, zone: ZoneDays, key: DayKey): Promise<DayRecord> {
    let record = zone.records.get(key)
    if (record) return record
    const stored = await this.#options.store.get(STORE_KEYS.digestDay(ref, zone.calendar.timeZone, key))
    record = zone.records.get(key) ?? (isDayRecord(stored) && stored.day === key ? stored : emptyDay(key))
    zone.records.set(key, record)
    return record
  }

  #account(ref: string): AccountState {
    let state = this.#accounts.get(ref)
    if (!state) {
      state = { known: this.#known(ref), zones: new Map(), queue: Promise.resolve() }
      this.#accounts.set(ref, state)
    }
    return state
  }

  #known(ref: string): ExpiringIds {
    return new ExpiringIds(this.#options.store, {
      key: STORE_KEYS.digestKnown(ref),
      retentionMs: RETENTION.digestKnownMs,
      bucketMs: DAY_MS,
      now: this.#options.now,
    })
  }

  /** Clustered, what was read is read again: another process may have written it since. */
  #forgetReads(ref: string, state: AccountState): void {
    if (!this.#options.shared) return
    state.zones.clear()
    state.known = this.#known(ref)
  }

  #zone(state: AccountState, timeZone: string): ZoneDays {
    let zone = state.zones.get(timeZone)
    if (!zone) {
      const calendar = this.#clocks.get(timeZone) ?? new ZoneClock(timeZone)
      this.#clocks.set(timeZone, calendar)
      zone = { calendar, days: undefined, records: new Map() }
      state.zones.set(timeZone, zone)
    }
    return zone
  }
}

/**
 * How a paying customer is known: a hash of the account and the customer's id, else their email, so
 * that the store holds no email address. An anonymous payment has none.
 */
function customerKey(ref: string, sale: SaleEvent): string | undefined {
  const who = sale.customer?.id ?? sale.customer?.email?.trim().toLowerCase()
  if (!who) return undefined
  return createHash('sha256').update(`${ref}\n${who}`).digest('hex').slice(0, 20)
}
