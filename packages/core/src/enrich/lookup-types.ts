/** What the look-ups return and how they are set up: their plain parts, apart from the reads themselves. */
import { CashNotifyError, MissingPermissionError } from '../shared/errors.js'

/**
 * A value found, or why it could not be; `transient` when the reason passes (Stripe unreachable, a 5xx,
 * a 429), so that trying again later can find it.
 */
export type Found<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string; readonly transient?: boolean }

/** Told when a read shows that the key lost a permission, or has it again. */
export type PermissionListener = (permission: string, state: 'granted' | 'missing', reason: string) => void

/** How long looked-up objects stay fresh, and how many are kept per kind. */
export interface LookupCacheOptions {
  /**
   * Customers, products, balance transactions: they rarely change, and the events that say they changed
   * refresh the cache as they pass, so a day's repeat customers and products are read once.
   * @default 86400000 (24 h)
   */
  readonly ttlMs?: number
  /** Subscriptions change status, so they stay fresh for less. @default 60000 */
  readonly subscriptionTtlMs?: number
  /** Objects kept per kind. @default 1000 */
  readonly maxSize?: number
}

export const found = <T>(value: T): Found<T> => ({ ok: true, value })

/** How long a refused permission is taken as missing before it is tried again. */
export const DENIED_FOR_MS = 10 * 60_000

/** A Checkout sale's line items and fee in one read, and the permissions expanding them needs. */
export const CHECKOUT_EXPAND = ['line_items', 'payment_intent.latest_charge.balance_transaction']
export const EXPANDED_PERMISSIONS = ['rak_payment_intent_read', 'rak_charge_read', 'rak_balance_read']
/** The `#denied` entry of a key refused one of {@link EXPANDED_PERMISSIONS} while expanding. */
export const EXPANDED_CHECKOUT = 'expanded checkout session'

export function reasonOf(error: unknown, permission: string): string {
  if (error instanceof MissingPermissionError) return `missing permission ${error.permission ?? permission}`
  if (error instanceof CashNotifyError) return error.message.replace(/^\[cashnotify\] /, '')
  return String(error)
}
