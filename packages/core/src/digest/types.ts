/**
 * The public types of digests: a summary of one period (a day or a week) of one account, or of every
 * account of one mode, built from aggregates kept as events pass — never from extra Stripe reads.
 */
import type { EventAccount } from '../enrich/domain-events.js'

/** A digest covers a local day, or seven local days ending at the midnight its weekly schedule sends on. */
export type DigestPeriodKind = 'day' | 'week'

/** The span of a digest, in the time zone whose clock its schedule reads. */
export interface DigestPeriod {
  /** `day`: local midnight to the next (23 or 25 hours across a daylight-saving change); `week`: seven calendar days. */
  readonly kind: DigestPeriodKind
  /** The first instant counted (local midnight). */
  readonly start: Date
  /** The first instant after the period. */
  readonly end: Date
  /** The IANA time zone of the calendar, e.g. `Europe/Paris`. */
  readonly timeZone: string
}

/** A product among the period's best sellers. */
export interface DigestProduct {
  /** The product's name as the sales showed it. */
  readonly name: string
  /** `prod_…`, when known. */
  readonly productId?: string
  /** Gross sales of it, in minor units. */
  readonly amount: number
  /** Units sold. */
  readonly quantity: number
}

/** A country among the period's best. */
export interface DigestCountry {
  /** ISO 3166-1 alpha-2, e.g. `US`. */
  readonly country: string
  /** Gross sales from it, in minor units. */
  readonly amount: number
  /** Number of sales from it. */
  readonly sales: number
}

/** The figures of one currency over one period. Amounts are integers in the currency's minor unit. */
export interface DigestFigures {
  /** ISO 4217, lower-case as Stripe writes it. */
  readonly currency: string
  /** What customers paid: the sum of the period's sales. */
  readonly gross: number
  /** Refunded in the period (positive). */
  readonly refunds: number
  /** Disputed in the period (positive: the amounts of disputes opened). */
  readonly disputes: number
  /** Stripe's fees on the period's sales, as far as they are known (see `feesUnknown`). */
  readonly fees: number
  /** Sales whose fee could not be known (e.g. no balance permission): `fees` and `net` leave them out. */
  readonly feesUnknown: number
  /** `gross − refunds − disputes − fees`. */
  readonly net: number
  /** Number of sales. */
  readonly sales: number
  /** Distinct customers who paid: new (first seen paying in this period) and returning. */
  readonly customers: { readonly total: number; readonly new: number; readonly returning: number }
  /** Subscriptions started and canceled, and the change in monthly recurring revenue they imply (minor units a month). */
  readonly subscriptions: { readonly started: number; readonly canceled: number; readonly mrrChange: number }
  /** Payments that failed. */
  readonly failedPayments: number
  /** Payouts paid in the period. */
  readonly payouts: { readonly count: number; readonly amount: number }
  /** Best-selling products by gross, at most 5. */
  readonly topProducts: readonly DigestProduct[]
  /** Best countries by gross, at most 5. */
  readonly topCountries: readonly DigestCountry[]
  /** Gross sales per slot (an hour of a day, a day of a week), in the order of the period's slots: what a chart draws. */
  readonly series: readonly number[]
}

/** The figures of a period next to the previous period's. */
export interface DigestComparison {
  /** This period. */
  readonly current: DigestFigures
  /** The period before, with the same currency: zeros when nothing happened or nothing was kept. */
  readonly previous: DigestFigures
}

/** A summary of a period: the `digest` event, and what notifiers that accept digests are given. */
export interface Digest {
  /**
   * Stable id: the same schedule, scope and period always give the same id, across restarts and
   * processes, so a receiver can drop a repeat: `digest:<schedule>:<acct_…/mode>:<period start ISO>` for
   * an account's, `digest:<schedule>:all/<mode>:<period start ISO>` across accounts.
   */
  readonly id: string
  /** The schedule's name, e.g. `daily`. */
  readonly schedule: string
  /** One account's digest, or one of every account of a mode. */
  readonly scope: 'account' | 'all'
  /** The account of an `account` digest. */
  readonly account?: EventAccount
  /** The accounts the figures cover (one for an `account` digest). */
  readonly accounts: readonly EventAccount[]
  /** Live or test data: a digest never mixes the two. */
  readonly livemode: boolean
  /** The period summarised. */
  readonly period: DigestPeriod
  /** The period it is compared with. */
  readonly previousPeriod: DigestPeriod
  /** One entry per currency with any activity in either period, largest gross first. */
  readonly currencies: readonly DigestComparison[]
  /**
   * All currencies in one, only when the app passed a conversion function (CashNotify never invents
   * exchange rates); its `series` converts each slot.
   */
  readonly total?: DigestComparison
  /** True when nothing at all happened in the period. */
  readonly empty: boolean
  /** When the digest was made. */
  readonly createdAt: Date
}

/** A digest as a notifier is given it: the digest, with ready-made text for channels that show only text. */
export interface DigestNotification {
  /** The digest's id (stable): a retry or a replay carries the same one. */
  readonly id: string
  /** A short title, e.g. `Acme Inc · Tuesday, Nov 3: $1,240.00 from 18 sales`. */
  readonly title: string
  /** A few lines: net, refunds, new customers, the change against the previous period. */
  readonly body: string
  /** The digest itself, for notifiers that render their own format (an email with a chart, a JSON payload). */
  readonly digest: Digest
}
