import type { ApiKey } from '../accounts/keys.js'
import type { Notifier } from '../delivery/notifier.js'
import type { PrivacyOptions } from '../delivery/privacy.js'
import type { FormatHook } from '../delivery/text/format.js'
import type { DigestSchedule } from '../digest/schedule.js'
import type { DigestTotalOptions } from '../digest/total.js'
import type { LookupCacheOptions } from '../enrich/lookups.js'
import type { NotificationRules, NotifierUseOptions } from '../rules/types.js'
import type { Logger } from '../shared/logger.js'
import type { KeyValueStore } from '../shared/store.js'
import type { StripeConnectionOptions } from '../stripe/connection.js'
import type { RequestBudgetOptions } from '../stripe/request-budget.js'
import type { RetryOptions } from '../stripe/retry.js'
import type { CashNotifyCluster } from './cluster.js'

/** A notifier, alone or with its delivery options (filter, concurrency, timeout, retries, rules). */
export type NotifierEntry = Notifier | ({ readonly notifier: Notifier } & NotifierUseOptions)

/** Options of `new CashNotify(options)`. */
export interface CashNotifyOptions {
  /** Where state is kept (cursors, seen events, outbox): a Keyv instance. @default an in-memory Keyv */
  store?: KeyValueStore
  /**
   * Run as one process of a cluster (e.g. `redisCluster()` of `@cashnotify/redis`): every process adds
   * the same accounts, and leases give each account to one process at a time, which polls it through the
   * cluster's shared store and request budget. Not with `store`. @default one process, on `store`
   */
  cluster?: CashNotifyCluster
  /**
   * The shortest interval between two polls of an account, ms (1 s to 1 h). Polls are paced by the
   * account's read allocation (`readAllocation`): they come this often only after activity, or on
   * accounts whose allocation allows it. @default 5000
   */
  pollInterval?: number
  /** The longest interval between two polls of an account, ms: what pacing never exceeds. @default 600000 */
  maxPollInterval?: number
  /**
   * How much of Stripe's read allocation CashNotify may spend: an account may read `max(10,000, 500 ×
   * its payments of the last 30 days)` times a month, shared with every other integration of the account.
   */
  readAllocation?: ReadAllocationOptions
  /** How Stripe webhooks are taken, for accounts added with a `webhookSecret` (see `cn.webhookHandler()`). */
  webhooks?: WebhookOptions
  /** Where Stripe is: the simulator or a proxy. @default the real Stripe API */
  stripe?: StripeConnectionOptions
  /** Each account's request budget. @default below Stripe's limits */
  budget?: RequestBudgetOptions
  /** Retries of network failures, 5xx and 429. */
  retry?: RetryOptions
  /** Refuse accounts whose key lacks a required permission, instead of accepting them as degraded. @default false */
  strictPermissions?: boolean
  /** Where CashNotify logs; lines are redacted before they reach it. @default warnings and errors to the console */
  logger?: Logger
  /**
   * How far back each poll re-reads, in ms, to catch events that become visible late or share a second
   * with the last one read. Re-read events are recognised and never emitted twice. @default 60000
   */
  overlap?: number
  /** How many recent events a newly watched account emits with `backfill: true` (0 to 100). @default 50 */
  backfill?: number
  /** Longest wait between polls of a failing account, ms. @default 300000 */
  maxBackoff?: number
  /** The clock, ms since epoch (tests pass the simulator's). @default Date.now */
  now?: () => number
  /** Source of jitter in [0, 1). @default Math.random */
  random?: () => number
  /**
   * How long, in ms, a payment's newest event must be old before its sale is emitted without all of
   * its events: the events of one payment arrive within a second or two, and a sale waits for its
   * invoice or Checkout Session this long at most (0 emits at once). A payment known to be whole — a
   * one-off payment intent with its charge, a paid invoice, a completed Checkout Session — never waits.
   * @default 2000
   */
  settle?: number
  /** How long looked-up customers, products and subscriptions are reused, and how many are kept. */
  cache?: LookupCacheOptions
  /**
   * Sales whose look-up (fee, customer, products) failed for a reason that passes — Stripe unreachable,
   * a 429: they wait `holdMs` for a retry; if they must go out incomplete (`unavailable` says why), they
   * keep being completed for `repairForMs`, and the completion is announced as `sale.updated`.
   */
  enrichment?: EnrichmentOptions
  /** Where notifications go: notifier objects, or `{ notifier, filter, concurrency, timeoutMs, retry, rules }`. */
  notifiers?: readonly NotifierEntry[]
  /** Rules of every notifier (quiet hours, large sales, grouping …); a notifier's own `rules` win, rule by rule. @default none */
  rules?: NotificationRules
  /** Rewrites the default title and body of a notification. */
  format?: FormatHook
  /** Hide customer details (`true`), or choose: `{ customer, amounts }`. @default false */
  privacy?: boolean | PrivacyOptions
  /** Locale of amounts and dates in notifications. @default 'en-US' */
  locale?: string
  /** Time zone of dates in notifications. @default the system's */
  timeZone?: string
  /**
   * Digests to send: each a daily or weekly summary at a local time, per account and/or across the
   * accounts of each mode, emitted as `digest` and delivered to notifiers that have `sendDigest`.
   * Their figures come from day records kept in the store as events pass (no Stripe reads).
   * @default none
   * @example
   * ```ts
   * digests: [{ name: 'daily', every: 'day', at: '09:00', timeZone: 'Europe/Paris', scope: 'both' }]
   * ```
   */
  digests?: readonly DigestSchedule[]
  /**
   * All currencies of a digest in one (`digest.total`), converted by the app's own function: CashNotify
   * has no exchange rates and never invents one. @default no total
   */
  digestTotal?: DigestTotalOptions
  /** Dead letters kept in the store; the oldest are dropped beyond. @default 1000 */
  maxDeadLetters?: number
  /** How long `stop()` waits for notifications being sent, ms. @default 10000 */
  stopTimeout?: number
}

/** Input of `cn.addAccount()`. */
export interface AddAccountInput {
  /** A restricted key (`rk_…`, recommended) or a secret key (`sk_…`). */
  apiKey: string | ApiKey
  /** A custom name, instead of the one from Stripe. */
  name?: string
  /** A custom logo: png, jpg, gif or ico bytes, or a path to such a file. */
  logo?: Uint8Array | string
  /** Refuse the key when a required permission is missing. @default the instance's `strictPermissions` */
  strictPermissions?: boolean
  /**
   * The signing secret (`whsec_…`) of the account's Stripe webhook endpoint, or several while one is
   * rotated: events are then pushed to `cn.webhookHandler()` as they happen, and polls only reconcile.
   */
  webhookSecret?: string | readonly string[]
}

/** Options of `cn.removeAccount()`. */
export interface RemoveAccountOptions {
  /** Keep the account's cursor and dedupe state in the store, to resume when it is added again. @default false */
  keepState?: boolean
  /**
   * Clustered mode: also delete the account's shared state (its cursor, the ids emitted, the payments
   * held, its reads), which every process watching the account goes on from. Only for an account no
   * process of the cluster watches any more; without it, removing an account from one process only
   * stops watching it there. Ignored without a cluster or with `keepState`.
   * @default false
   */
  deleteSharedState?: boolean
}

/** How sales wait for, and are completed with, what a passing failure kept from them. */
export interface EnrichmentOptions {
  /** How long a sale waits for a look-up that failed for a passing reason, ms. @default 30000 */
  holdMs?: number
  /** How long a sale that went out incomplete keeps being completed, ms. @default 86400000 */
  repairForMs?: number
}

/** CashNotify's part of an account's read allocation. */
export interface ReadAllocationOptions {
  /** The fraction of the allocation CashNotify may use, in (0, 1]: the rest is the shop's other integrations'. @default 0.5 */
  share?: number
  /** The account's monthly read allocation, when Stripe gave it more than its payments earn. @default the estimate */
  monthly?: number
}

/** How Stripe webhooks are taken. */
export interface WebhookOptions {
  /** How old a delivery's signature may be, s: older ones are refused as replays (0 accepts any age). @default 300 */
  tolerance?: number
  /** The largest body taken, bytes; larger ones are answered 413. @default 1048576 */
  maxBodyBytes?: number
  /** The interval of polls while webhooks arrive, ms: polls then only pick up what they missed. @default 900000 */
  reconcileInterval?: number
  /**
   * How old, ms, an event that a poll found and no webhook brought may be before the account's webhooks
   * are taken to be failing: its status turns `webhooks_missing`, and polls keep their pace. @default 600000
   */
  missedAfter?: number
}
