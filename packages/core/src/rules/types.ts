/**
 * The public types of notification rules: plain data, per notifier (`rules` beside `filter`) and as
 * defaults for every notifier (the top-level `rules` option), and what `cn.held()` reports.
 */
import type { NotifierOptions } from '../delivery/types.js'

/** What `cn.use(notifier, options)` takes: delivery's options, and the notifier's rules. */
export interface NotifierUseOptions extends NotifierOptions {
  /**
   * Quiet hours, large sales, first sale of the day, milestones, grouping: over the instance's `rules`,
   * rule by rule (`false`: none of them). @default the instance's `rules`
   */
  readonly rules?: NotificationRules | false
}

/** Quiet hours: what arrives between `from` and `to` (local time) is held, then sent as one summary at `to`. */
export interface QuietHours {
  /** When the quiet time starts, `HH:MM` on a 24-hour clock, e.g. `22:00`. */
  readonly from: string
  /** When it ends, `HH:MM`; earlier than `from` means the quiet time spans midnight, e.g. `08:00`. */
  readonly to: string
  /** The IANA time zone of `from` and `to`, e.g. `Europe/Paris`. @default the rules' `timeZone` */
  readonly timeZone?: string
}

/** What makes a sale large, and what a large sale may do. */
export interface LargeSaleRule {
  /** Smallest large sale, per currency, in minor units: `{ usd: 50_000 }` is $500.00. Other currencies are never large. */
  readonly minAmount: Readonly<Record<string, number>>
  /** Send large sales at once even in quiet hours, on their own. @default false */
  readonly bypassQuietHours?: boolean
}

/**
 * Rules of one notifier, or the defaults of all: a notifier's own rules replace the defaults rule by
 * rule, and `false` turns a default rule off for it. Every rule is off unless given.
 */
export interface NotificationRules {
  /** Hold notifications during the night (or any daily window) and send one summary when it ends. */
  readonly quietHours?: QuietHours | false
  /** Mark sales from an amount on (`large_sale`), and optionally let them through quiet hours. */
  readonly largeSale?: LargeSaleRule | false
  /** Mark the first sale of each local day (`first_sale_of_day`), per account. @default false */
  readonly firstSaleOfDay?: boolean
  /**
   * Mark the sale that takes the day's sales of an account past an amount (`milestone`), per currency,
   * in minor units: `{ usd: [100_000, 500_000] }` marks the sales crossing $1,000.00 and $5,000.00.
   */
  readonly milestones?: Readonly<Record<string, readonly number[]>> | false
  /**
   * Sales of one account and currency arriving within this many seconds of each other become one
   * notification (`3 sales · $147.00`), sent this long after the last of them (and at the latest ten
   * times this long after the first). 0 sends each sale on its own. @default 0
   */
  readonly groupWithinSeconds?: number
  /** The IANA time zone of the local day (first sale, milestones) and of quiet hours. @default the instance's `timeZone`, else the system's */
  readonly timeZone?: string
}

/** Why notifications are held: quiet hours, or a burst of sales being grouped. */
export type HoldReason = 'quiet_hours' | 'group'

/** Notifications a rule holds for one notifier, as `cn.held()` lists them. */
export interface HeldNotifications {
  /** The notifier's name. */
  readonly notifier: string
  /** Which rule holds them. */
  readonly reason: HoldReason
  /** The account they belong to, `acct_…/live`. */
  readonly account: string
  /** The ids of the notifications held, oldest first. */
  readonly notificationIds: readonly string[]
  /** When the first was held. */
  readonly since: Date
  /** When they are sent (as one notification); a release time that passed while stopped is met at `start()`. */
  readonly releaseAt: Date
}
