import type Stripe from 'stripe'
import { DEFAULTS } from '../shared/defaults.js'
import { CashNotifyError, MissingPermissionError } from '../shared/errors.js'
import type { StripeAuth, StripeGateway } from '../stripe/client.js'
import { LookupCache } from './cache.js'
import { idOf, items, type Json, obj, str } from './fields.js'
import {
  CHECKOUT_EXPAND,
  DENIED_FOR_MS,
  EXPANDED_CHECKOUT,
  EXPANDED_PERMISSIONS,
  type Found,
  found,
  type LookupCacheOptions,
  type PermissionListener,
  reasonOf,
} from './lookup-types.js'

export type { Found, LookupCacheOptions, PermissionListener }

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
  readonly #expandCheckout: boolean
  readonly #onPermission: PermissionListener | undefined

  constructor(
    gateway: StripeGateway,
    options: LookupCacheOptions & {
      /**
       * Whether reads may expand objects beyond CashNotify's permission set (a Checkout sale's fee): a
       * standard secret key may read everything; a restricted key is not asked, so never refuses.
       */
      readonly expandBeyondPermissions?: boolean
    } = {},
    now: () => number = Date.now,
    onPermission?: PermissionListener,
  ) {
    this.#gateway = gateway
    this.#expandCheckout = options.expandBeyondPermissions === true
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

  /**
   * The balance transactions of several charges in one list (the span of their `created`) instead of one
   * read each, cached so that the sales of a poll find their fees there. Nothing is read for fewer than
   * two that are not cached yet, and paging stops before it would cost more than reading the rest one by
   * one; whatever the list missed is read by id later, as before.
   */
  async prefetchBalanceTransactions(
    ids: readonly string[],
    created: { readonly gte: number; readonly lte: number },
  ): Promise<void> {
    const wanted = new Set(ids.filter((id) => !this.#balanceTransactions.has(id)))
    if (wanted.size < 2 || this.#deniedNow('rak_balance_read')) return
    await this.#read('rak_balance_read', async () => {
      let startingAfter: string | undefined
      for (let pages = 0; wanted.size > pages; pages++) {
        const page = await this.#call('GET /v1/balance_transactions', (s, auth) =>
          s.balanceTransactions.list(
            { created, limit: 100, ...(startingAfter ? { starting_after: startingAfter } : {}) },
            auth,
          ),
        )
        for (const bt of items(page)) {
          const id = str(bt.id)
          if (id && wanted.delete(id)) this.#balanceTransactions.set(id, bt)
        }
        startingAfter = str(items(page).at(-1)?.id)
        if (!obj(page)?.has_more || !startingAfter) return
      }
    })
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

  /**
   * A Checkout Session's line items and, in the same read, the balance transaction of the charge that
   * paid it (`expand[]`): it goes to the balance-transaction cache, so the sale's fee costs no read of its
   * own. Expanding needs the payment intent and charge permissions, beyond CashNotify's set: only a key
   * that has them expands (see the constructor); one that refuses once is not asked again for a while,
   * and meanwhile the line items are read alone, as {@link checkoutLineItems} does.
   */
  async checkoutLineItemsWithFee(sessionId: string): Promise<Found<Json[]>> {
    const mayExpand =
      this.#expandCheckout &&
      EXPANDED_PERMISSIONS.every((permission) => !this.#missing.has(permission)) &&
      !this.#deniedNow(EXPANDED_CHECKOUT)
    if (mayExpand) {
      const result = await this.#read('rak_checkout_session_read', () => this.#expandedCheckout(sessionId))
      if (!result.ok || result.value) return result as Found<Json[]>
    }
    return this.checkoutLineItems(sessionId)
  }

  /** The expanded read: `undefined` when it must be done the plain way (a permission of the expansion). */
  async #expandedCheckout(sessionId: string): Promise<Json[] | undefined> {
    let session: Json
    try {
      session = await this.#call('GET /v1/checkout/sessions/:id', (s, auth) =>
        s.checkout.sessions.retrieve(sessionId, { expand: CHECKOUT_EXPAND }, auth),
      )
    } catch (error) {
      const ofExpansion =
        error instanceof MissingPermissionError && error.permission !== 'rak_checkout_session_read'
      if (!ofExpansion) throw error
      this.#denied.set(EXPANDED_CHECKOUT, { reason: reasonOf(error, ''), until: this.#now() + DENIED_FOR_MS })
      return undefined
    }
    const charge = obj(obj(session.payment_intent)?.latest_charge)
    const bt = obj(charge?.balance_transaction)
    const btId = str(bt?.id)
    if (bt && btId) {
      this.#balanceTransactions.set(btId, bt)
      const chargeId = str(charge?.id)
      if (chargeId) this.#balanceTransactions.set(`source:${chargeId}`, bt)
    }
    const lines = obj(session.line_items)
    return lines && lines.has_more !== true ? items(lines) : undefined
  }

  /** Why a permission (or the expanded read) was refused, while that refusal still holds. */
  #deniedNow(key: string): { readonly reason: string } | undefined {
    const denied = this.#denied.get(key)
    return denied && denied.until > this.#now() ? denied : undefined
  }

  async #read<T>(permission: string, read: () => Promise<T>): Promise<Found<T>> {
    // A permission Stripe just refused is not asked for again for a while: one 403, not one per event.
    const denied = this.#deniedNow(permission)
    if (denied) return { ok: false, reason: denied.reason }
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
