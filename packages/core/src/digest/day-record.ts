/**
 * What one account did on one local day, per currency: the record the store keeps, updated in place as
 * each domain event passes. Plain JSON, so every Keyv store keeps it as it is.
 */

/** A product's sales of a day: its name, its id (or null), gross and units. */
export type ProductTally = [name: string, id: string | null, amount: number, quantity: number]

/** A country's sales of a day: gross and count. */
export type CountryTally = [amount: number, sales: number]

/** One currency's figures of a day. */
export interface CurrencyDay {
  gross: number
  refunds: number
  disputes: number
  fees: number
  feesUnknown: number
  sales: number
  started: number
  canceled: number
  mrrChange: number
  failedPayments: number
  payouts: number
  payoutAmount: number
  /** By product id, else name. At most {@link MAX_TALLIES}. */
  products: Record<string, ProductTally>
  /** By country code. At most {@link MAX_TALLIES}. */
  countries: Record<string, CountryTally>
  /** Gross per hour slot of the day (23, 24 or 25). */
  hours: number[]
  /** Paying customers, by a hash of their id or email: 1 if first seen paying that day, 0 if returning. */
  customers: Record<string, 0 | 1>
}

/** How an event was counted: 1, or 2 for a sale whose fee was unknown (a `sale.updated` may bring it). */
export type Counted = 1 | 2

/** One local day of one account. */
export interface DayRecord {
  readonly v: 1
  /** `YYYY-MM-DD` in the record's time zone. */
  readonly day: string
  /** The ids of the events counted, so that an event emitted again is not counted twice. */
  readonly ids: Record<string, Counted>
  /** By lower-case currency code. */
  readonly currencies: Record<string, CurrencyDay>
}

/** Products and countries tracked per currency and day: a day with more keeps its first ones. */
export const MAX_TALLIES = 100

/** A day with nothing in it. */
export function emptyDay(day: string): DayRecord {
  return { v: 1, day, ids: {}, currencies: {} }
}

/** One currency with nothing in it. */
export function emptyCurrencyDay(hours: number): CurrencyDay {
  return {
    gross: 0,
    refunds: 0,
    disputes: 0,
    fees: 0,
    feesUnknown: 0,
    sales: 0,
    started: 0,
    canceled: 0,
    mrrChange: 0,
    failedPayments: 0,
    payouts: 0,
    payoutAmount: 0,
    products: {},
    countries: {},
    hours: Array.from({ length: hours }, () => 0),
    customers: {},
  }
}

/** Whether a stored value is a day record (anything else is read as an empty day). */
export function isDayRecord(value: unknown): value is DayRecord {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Partial<DayRecord>
  return (
    record.v === 1 &&
    typeof record.day === 'string' &&
    typeof record.ids === 'object' &&
    typeof record.currencies === 'object'
  )
}

/** The entry of a keyed tally, made when new; undefined when the tally is full and the key new. */
export function tally<T>(map: Record<string, T>, key: string, fresh: () => T): T | undefined {
  const entry = map[key]
  if (entry !== undefined) return entry
  if (Object.keys(map).length >= MAX_TALLIES) return undefined
  const made = fresh()
  map[key] = made
  return made
}
