import { formatAmount, type SaleEvent } from '@cashnotify/core'
import { systemTimeZone, ZoneClock } from '@cashnotify/core/notifier'

/** One currency's total: how much, how many sales, and how it reads. */
export interface CurrencyTotal {
  /** Lower-case ISO 4217 code, as Stripe writes it. */
  readonly currency: string
  /** The sum, in the currency's minor unit. */
  readonly amount: number
  /** The sum formatted with core's `formatAmount`: `$1,234.50`, `¥12,000`, `KWD 4.900`. */
  readonly formatted: string
  /** How many sales. */
  readonly count: number
}

/** One account's totals for the day, one entry per currency (sorted by code). */
export interface AccountTotal {
  /** The account's key, `${id}/${mode}` (what `CashNotify` calls its `ref`). */
  readonly account: string
  /** The account's name, as the newest of its sales gave it. */
  readonly name: string
  /** The currencies it sold in today. */
  readonly currencies: readonly CurrencyTotal[]
}

/** Today's totals: per account and currency, and per currency across accounts. */
export interface TotalsSnapshot {
  /** The day they are for, `YYYY-MM-DD` in {@link DailyTotalsOptions.timeZone}. */
  readonly day: string
  /** The time zone that decides where a day starts. */
  readonly timeZone: string
  /** Per account, in the order each first sold today. */
  readonly accounts: readonly AccountTotal[]
  /** Per currency, all accounts together (sorted by code). */
  readonly all: readonly CurrencyTotal[]
}

/** Options of {@link DailyTotals}. */
export interface DailyTotalsOptions {
  /** The time zone whose midnight starts a new day. @default the system's */
  timeZone?: string
  /** Locale of the formatted amounts. @default 'en-US' */
  locale?: string
  /** The clock, ms since epoch. @default Date.now */
  now?: () => number
}

/** The key `CashNotify` uses for an account watched in one mode: `acct_…/live`. */
export function accountKey(account: { readonly id: string; readonly mode: string }): string {
  return `${account.id}/${account.mode}`
}

interface Sums {
  amount: number
  count: number
}

/**
 * Today's sales totals, per account and currency. Sales of another day are not counted, and the
 * totals start again from zero when the day changes. A sale is counted once, by its id.
 *
 * @example
 * ```ts
 * const totals = new DailyTotals({ timeZone: 'Europe/Paris' })
 * cn.on('sale', (sale) => totals.add(sale))
 * totals.snapshot().all // [{ currency: 'eur', amount: 4900, formatted: '€49.00', count: 1 }]
 * ```
 */
export class DailyTotals {
  readonly #clock: ZoneClock
  readonly #locale: string
  readonly #now: () => number
  #day = ''
  /** account key -> currency -> sums, for #day. */
  readonly #sums = new Map<string, Map<string, Sums>>()
  readonly #names = new Map<string, string>()
  readonly #counted = new Set<string>()

  constructor(options: DailyTotalsOptions = {}) {
    this.#clock = new ZoneClock(options.timeZone ?? systemTimeZone())
    this.#locale = options.locale ?? 'en-US'
    this.#now = options.now ?? Date.now
  }

  /** The IANA time zone that decides where a day starts. */
  get timeZone(): string {
    return this.#clock.timeZone
  }

  /** The day `date` falls on, `YYYY-MM-DD` in the totals' time zone. */
  dayOf(date: Date | number): string {
    return this.#clock.dayOf(typeof date === 'number' ? date : date.getTime())
  }

  /** Today, `YYYY-MM-DD` in the totals' time zone. */
  today(): string {
    return this.dayOf(this.#now())
  }

  /**
   * Counts a sale if it happened today and was not counted before.
   * @returns whether it was counted.
   */
  add(sale: Pick<SaleEvent, 'id' | 'account' | 'amount' | 'createdAt'>): boolean {
    this.#rollOver()
    if (this.dayOf(sale.createdAt) !== this.#day || this.#counted.has(sale.id)) return false
    this.#counted.add(sale.id)
    const key = accountKey(sale.account)
    this.#names.set(key, sale.account.name)
    const currencies = this.#sums.get(key) ?? new Map<string, Sums>()
    this.#sums.set(key, currencies)
    const currency = sale.amount.currency.toLowerCase()
    const sums = currencies.get(currency) ?? { amount: 0, count: 0 }
    currencies.set(currency, { amount: sums.amount + sale.amount.amount, count: sums.count + 1 })
    return true
  }

  /** Today's totals, as plain data ready for `JSON.stringify`. */
  snapshot(): TotalsSnapshot {
    this.#rollOver()
    const all = new Map<string, Sums>()
    const accounts = [...this.#sums].map(([account, currencies]): AccountTotal => {
      for (const [currency, sums] of currencies) {
        const sum = all.get(currency) ?? { amount: 0, count: 0 }
        all.set(currency, { amount: sum.amount + sums.amount, count: sum.count + sums.count })
      }
      return { account, name: this.#names.get(account) ?? account, currencies: this.#list(currencies) }
    })
    return { day: this.#day, timeZone: this.#clock.timeZone, accounts, all: this.#list(all) }
  }

  #list(sums: ReadonlyMap<string, Sums>): CurrencyTotal[] {
    return [...sums]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, { amount, count }]) => ({
        currency,
        amount,
        count,
        formatted: formatAmount(amount, currency, this.#locale),
      }))
  }

  /** Starts from zero when the day has changed since the last call. */
  #rollOver(): void {
    const today = this.today()
    if (today === this.#day) return
    this.#day = today
    this.#sums.clear()
    this.#names.clear()
    this.#counted.clear()
  }
}
