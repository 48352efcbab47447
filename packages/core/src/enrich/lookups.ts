import type Stripe from 'stripe'
import { DEFAULTS } from '../shared/defaults.js'
import { CashNotifyError, MissingPermissionError } from '../shared/errors.js'
import type { StripeAuth, StripeGateway } from '../stripe/client.js'
import { LookupCache } from './cache.js'
import { idOf, items, type Json, obj, str } from './fields.js'

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
   * @default 21600000 (6 h)
   */
  readonly ttlMs?: number
  /** Subscriptions change status, so they stay fresh for less. @default 60000 */
  readonly subscriptionTtlMs?: number
  /** Objects kept per kind. @default 1000 */
  readonly maxSize?: number
}

const found = <T>(value: T): Found<T> => ({ ok: true, value })

/** How long a refused permission is taken as missing before it is tried again. */
const DENIED_FOR_MS = 10 * 60_000

function reasonOf(error: unknown, permission: string): string {
  if (error instanceof MissingPermissionError) return `missing permission ${error.permission ?? permission}`
  if (error instanceof CashNotifyError) return error.message.replace(/^\[cashnotify\] /, '')
  return String(error)
}

/**
 * The reads enrichment makes, for one account: every one through the account's gateway (so within its
 * budget), cached and coalesced, and never throwing — a failure becomes the reason a field is missing.
 * Objects that arrive inside events are remembered too, so they need not be fetched.
 */
export class StripeLookups {
  /** Stripe requests made so far: the benchmark's figure. */
  calls = 0
  readonly #gateway: StripeGateway
  readonly #customers: LookupCache<Json>
  readonly #products: LookupCache<Json>
  readonly #subscriptions: LookupCache<Json>
  readonly #balanceTransactions: LookupCache<Json | undefined>
  readonly #invoices: LookupCache<Json>
  readonly #denied = new Map<string, { reason: string; until: number }>()
  /** Permissions a read found missing, until a read shows them granted again. */
  readonly #missing = new Set<string>()
  readonly #now: () => number
  readonly #onPermission: PermissionListener | undefined

  constructor(
    gateway: StripeGateway,
    options: LookupCacheOptions = {},
    now: () => number = Date.now,
    onPermission?: PermissionListener,
  ) {
    this.#gateway = gateway
    this.#now = now
    this.#onPermission = onPermission
    const ttlMs = options.ttlMs ?? DEFAULTS.cache.ttlMs
    const maxSize = options.maxSize ?? DEFAULTS.cache.maxSize
    this.#customers = new LookupCache({ ttlMs, maxSize, now })
    this.#products = new LookupCache({ ttlMs, maxSize, now })
    this.#subscriptions = new LookupCache({
      ttlMs: options.subscriptionTtlMs ?? DEFAULTS.cache.subscriptionTtlMs,
      maxSize,
      now,
    })
    this.#balanceTransactions = new LookupCache({ ttlMs, maxSize, now })
    this.#invoices = new LookupCache({ ttlMs: 60_000, maxSize, now })
  }

  /** Remembers an object seen in an event payload, so a look-up of it costs nothing. */
  remember(object: Json): void {
    const id = str(object.id)
    if (!id) return
    if (object.object === 'customer') this.#customers.set(id, object)
    else if (object.object === 'product') this.#products.set(id, object)
    else if (object.object === 'subscription') this.#subscriptions.set(id, object)
    else if (object.object === 'invoice') this.#invoices.set(id, object)
  }

  /** A customer (`rak_customer_read`). */
  customer(id: string): Promise<Found<Json>> {
    return this.#read('rak_customer_read', () =>
      this.#customers.get(id, () =>
        this.#call('GET /v1/customers/:id', (s, auth) => s.customers.retrieve(id, {}, auth)),
      ),
    )
  }

  /** A product (`rak_product_read`). */
  product(id: string): Promise<Found<Json>> {
    return this.#read('rak_product_read', () =>
      this.#products.get(id, () =>
        this.#call('GET /v1/products/:id', (s, auth) => s.products.retrieve(id, {}, auth)),
      ),
    )
  }

  /** A subscription (`rak_subscription_read`). */
  subscription(id: string): Promise<Found<Json>> {
    return this.#read('rak_subscription_read', () =>
      this.#subscriptions.get(id, () =>
        this.#call('GET /v1/subscriptions/:id', (s, auth) => s.subscriptions.retrieve(id, {}, auth)),
      ),
    )
  }

  /** An invoice (`rak_invoice_read`). */
  invoice(id: string): Promise<Found<Json>> {
    return this.#read('rak_invoice_read', () =>
      this.#invoices.get(id, () =>
        this.#call('GET /v1/invoices/:id', (s, auth) => s.invoices.retrieve(id, {}, auth)),
      ),
    )
  }

  /** Every line of an invoice, when the payload held only the first page (`rak_invoice_read`). */
  invoiceLines(id: string): Promise<Found<Json[]>> {
    return this.#read('rak_invoice_read', async () => {
      const lines: Json[] = []
      let startingAfter: string | undefined
      for (;;) {
        const page = await this.#call('GET /v1/invoices/:id/lines', (s, auth) =>
          s.invoices.listLineItems(
            id,
            { limit: 100, ...(startingAfter ? { starting_after: startingAfter } : {}) },
            auth,
          ),
        )
        lines.push(...items(page))
        startingAfter = str(lines.at(-1)?.id)
        if (!obj(page)?.has_more || !startingAfter) return lines
      }
    })
  }

  /** The payment intent that paid an invoice, on versions whose invoices no longer name it (`rak_invoice_read`). */
  invoicePaymentIntent(invoiceId: string): Promise<Found<string | undefined>> {
    return this.#read('rak_invoice_read', async () => {
      const page = await this.#call('GET /v1/invoice_payments', (s, auth) =>
        s.invoicePayments.list({ invoice: invoiceId, limit: 10 }, auth),
      )
      const paid = items(page).find((p) => p.status === 'paid') ?? items(page)[0]
      return idOf(obj(paid?.payment)?.payment_intent)
    })
  }

  /**
   * A charge's balance transaction (`rak_balance_read`): by its id when known, else by listing the
   * transactions whose source is the charge. `undefined` when Stripe has not created it yet.
   */
  balanceTransaction(ref: { id?: string; chargeId?: string }): Promise<Found<Json | undefined>> {
    const key = ref.id ?? `source:${ref.chargeId}`
    return this.#read('rak_balance_read', () =>
      this.#balanceTransactions.get(key, async () => {
        if (ref.id) {
          const id = ref.id
          return this.#call('GET /v1/balance_transactions/:id', (s, auth) =>
            s.balanceTransactions.retrieve(id, {}, auth),
          )
        }
        const page = await this.#call('GET /v1/balance_transactions', (s, auth) =>
          s.balanceTransactions.list({ source: ref.chargeId ?? '', limit: 1 }, auth),
        )
        return items(page)[0]
      }),
    )
  }

  /** A Checkout Session's line items (`rak_checkout_session_read`, beyond the minimum set). */
  checkoutLineItems(sessionId: string): Promise<Found<Json[]>> {
    return this.#read('rak_checkout_session_read', async () =>
      items(
        await this.#call('GET /v1/checkout/sessions/:id/line_items', (s, auth) =>
          s.checkout.sessions.listLineItems(sessionId, { limit: 100 }, auth),
        ),
      ),
    )
  }

  async #read<T>(permission: string, read: () => Promise<T>): Promise<Found<T>> {
    // A permission Stripe just refused is not asked for again for a while: one 403, not one per event.
    const denied = this.#denied.get(permission)
    if (denied && denied.until > this.#now()) return { ok: false, reason: denied.reason }
    try {
      const value = await read()
      if (this.#missing.delete(permission))
        this.#onPermission?.(permission, 'granted', 'a read needing it succeeded')
      return found(value)
    } catch (error) {
      const reason = reasonOf(error, permission)
      if (error instanceof MissingPermissionError) {
        this.#denied.set(permission, { reason, until: this.#now() + DENIED_FOR_MS })
        if (!this.#missing.has(permission)) {
          this.#missing.add(permission)
          this.#onPermission?.(permission, 'missing', reason)
        }
      }
      return { ok: false, reason, transient: error instanceof CashNotifyError && error.retryable }
    }
  }

  async #call<T>(endpoint: string, request: (stripe: Stripe, auth: StripeAuth) => Promise<T>): Promise<Json> {
    this.calls++
    return (await this.#gateway.call(endpoint, request)) as unknown as Json
  }
}
