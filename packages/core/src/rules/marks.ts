/**
 * Marks: what rules notice about a sale. A large sale needs only its amount; the first sale of the day
 * and milestones need the day's tally per notifier and account, kept in the store (one small record
 * each, replaced when the local day turns), so a restart mid-day neither marks a sale twice nor misses one.
 */
import type { Notification, NotificationMark } from '../delivery/notifier.js'
import type { DomainEvent } from '../enrich/domain-events.js'
import type { MoneyFormats } from '../shared/money.js'
import type { KeyValueStore } from '../shared/store.js'
import type { ActiveRules } from './options.js'
import { RULES_KEYS } from './store-keys.js'

/** One notifier's count of an account's local day. */
interface DayTally {
  readonly v: 1
  /** The local day, `2026-11-02`. */
  readonly day: string
  readonly sales: number
  /** Gross sales per currency, minor units. */
  readonly revenue: Readonly<Record<string, number>>
}

function isTally(value: unknown): value is DayTally {
  if (typeof value !== 'object' || value === null) return false
  const tally = value as Partial<DayTally>
  return tally.v === 1 && typeof tally.day === 'string' && typeof tally.sales === 'number'
}

/** The marks of one sale for one notifier, and how to record the tally they were computed from. */
export interface Marking {
  readonly marks: readonly NotificationMark[]
  /** Persists the tally; called once the notification is safely on its way or held. */
  readonly commit: () => Promise<void>
}

const NOTHING: Marking = { marks: [], commit: () => Promise.resolve() }

/** Day tallies of every notifier with rules, read from the store once and kept in memory. */
export class DayTallies {
  readonly #store: KeyValueStore
  readonly #formats: MoneyFormats
  readonly #tallies = new Map<string, DayTally>()

  constructor(store: KeyValueStore, formats: MoneyFormats) {
    this.#store = store
    this.#formats = formats
  }

  /** The marks a sale gets from a notifier's rules; other events get none. */
  async mark(notifier: string, rules: ActiveRules, event: DomainEvent): Promise<Marking> {
    if (event.type !== 'sale') return NOTHING
    const { amount } = event
    const marks: NotificationMark[] = []
    const min = rules.largeSale?.minAmount[amount.currency]
    if (min !== undefined && amount.amount >= min)
      marks.push({ type: 'large_sale', threshold: this.#formats.money(min, amount.currency) })
    if (!rules.firstSaleOfDay && !rules.milestones) return { marks, commit: NOTHING.commit }
    const key = RULES_KEYS.day(notifier, `${event.account.id}/${event.account.mode}`)
    const before = await this.#read(key)
    const day = rules.day.dayOf(event.createdAt.getTime())
    // A sale of a day already past (a late event) counts for no day: its day's marks are given.
    if (before && before.day > day) return { marks, commit: NOTHING.commit }
    const today = before?.day === day ? before : { v: 1 as const, day, sales: 0, revenue: {} }
    const had = today.revenue[amount.currency] ?? 0
    const next: DayTally = {
      ...today,
      sales: today.sales + 1,
      revenue: { ...today.revenue, [amount.currency]: had + amount.amount },
    }
    if (rules.firstSaleOfDay && today.sales === 0) marks.push({ type: 'first_sale_of_day', day })
    for (const threshold of rules.milestones?.[amount.currency] ?? [])
      if (had < threshold && had + amount.amount >= threshold)
        marks.push({ type: 'milestone', amount: this.#formats.money(threshold, amount.currency), day })
    return {
      marks,
      commit: async () => {
        await this.#store.set(key, next)
        this.#tallies.set(key, next)
      },
    }
  }

  async #read(key: string): Promise<DayTally | undefined> {
    const cached = this.#tallies.get(key)
    if (cached) return cached
    const stored = await this.#store.get(key)
    if (!isTally(stored)) return undefined
    this.#tallies.set(key, stored)
    return stored
  }
}

/** The line marks add in front of a body: `Large sale (from $500.00) · First sale of the day`. */
export function marksLine(marks: readonly NotificationMark[], hideAmounts: boolean): string {
  return marks
    .map((mark) => {
      if (mark.type === 'first_sale_of_day') return 'First sale of the day'
      if (mark.type === 'large_sale')
        return hideAmounts ? 'Large sale' : `Large sale (from ${mark.threshold.formatted})`
      return hideAmounts
        ? "Today's sales passed a milestone"
        : `Today's sales passed ${mark.amount.formatted}`
    })
    .join(' · ')
}

/** The notification with its marks, in its `marks` and its text. */
export function withMarks(
  notification: Notification,
  marks: readonly NotificationMark[],
  hideAmounts: boolean,
): Notification {
  if (marks.length === 0) return notification
  const line = marksLine(marks, hideAmounts)
  const body = notification.body ? `${line}\n${notification.body}` : line
  return { ...notification, body, marks: [...(notification.marks ?? []), ...marks] }
}
