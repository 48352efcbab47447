import type Stripe from 'stripe'
import { atLeast, isApiVersion } from '../render/versions.js'
import type { Wire } from '../wire.js'
import {
  type AuthorizationResult,
  type AuthorizeInput,
  authorize,
  type CaptureInput,
  type CaptureResult,
  capture,
} from './capture.js'
import { buildCustomer, buildProduct, type CustomerInput, type ProductInput } from './catalog.js'
import { EventBatch, type ScenarioHost, Scene } from './context.js'
import {
  type CloseDisputeInput,
  closeDispute,
  type DisputeInput,
  type DisputeResult,
  dispute,
} from './dispute.js'
import {
  type FailedRenewalResult,
  type FailRenewalInput,
  failRenewal,
  type RenewInput,
  renew,
} from './lifecycle.js'
import { type PayoutInput, type PayoutResult, payout } from './payout.js'
import { type RefundInput, type RefundResult, refund } from './refund.js'
import { type SaleInput, type SaleResult, sale } from './sale.js'
import {
  type SubscribeInput,
  type SubscriptionCallOptions,
  type SubscriptionResult,
  subscribe,
} from './subscribe.js'
import { type CancelInput, cancel, type SubscriptionChange, trialWillEnd } from './subscription-changes.js'

/** Options of `StripeSimulator.business`. */
export interface BusinessOptions {
  /** Live-mode or test-mode data. @default false */
  livemode?: boolean
  /** API version the events are rendered at (2020-08-27 or newer). @default the account's */
  apiVersion?: string
  /**
   * Put the events of each second in a seeded random order, as Stripe does not guarantee the order of
   * related events (`invoice.paid` may come before `charge.succeeded`). @default true
   */
  shuffle?: boolean
}

/** What `Business.product` made. */
export interface ProductResult {
  /** The product (its `name` is what invoices and Checkout show). */
  product: Wire<Stripe.Product>
  /** Its default price. */
  price: Wire<Stripe.Price>
  /** `product.created` and `price.created`. */
  events: Stripe.Event[]
}

/** The oldest API version whose shapes the simulator renders. */
const OLDEST_VERSION = '2020-08-27'

function checkVersion(version: string): string {
  if (!isApiVersion(version)) {
    throw new TypeError(
      `[stripe-simulator] Expected an API version like '2025-03-31.basil', got '${version}'.`,
    )
  }
  if (!atLeast(version, OLDEST_VERSION)) {
    throw new RangeError(
      `[stripe-simulator] API versions before ${OLDEST_VERSION} are not modelled, got '${version}'.`,
    )
  }
  return version
}

/**
 * A business on one account and mode: customers, products, and the payments, subscriptions, refunds,
 * disputes and payouts that happen to them, each stored and announced by the events Stripe sends, at
 * the chosen API version. Create it with `sim.business(accountId, options)`.
 *
 * Every scenario takes `at` (Unix seconds of its first event), `apiVersion` and `shuffle`, and returns
 * the objects it made (final states, as stored) and its events (oldest first).
 *
 * @example
 * ```ts
 * const shop = sim.business(account.id, { apiVersion: '2024-06-20' })
 * const jane = shop.customer({ email: 'jane@example.com', name: 'Jane Doe', country: 'US' })
 * const { price } = shop.product({ name: 'Pro plan', unitAmount: 4900, currency: 'usd', recurring: { interval: 'month' } })
 * const { subscription } = shop.subscribe({ customer: jane, price })
 * shop.renew(subscription)
 * ```
 */
export class Business {
  /** The account id. */
  readonly account: string
  /** Live-mode or test-mode data. */
  readonly livemode: boolean
  /** The API version events are rendered at unless a call gives its own. */
  readonly apiVersion: string
  readonly #scene: Scene

  /** @internal Created by `StripeSimulator.business()`. */
  constructor(host: ScenarioHost, options: BusinessOptions) {
    this.account = host.account.id
    this.livemode = host.livemode
    this.apiVersion = checkVersion(options.apiVersion ?? host.account.apiVersion)
    this.#scene = new Scene(host, this.apiVersion, options.shuffle ?? true)
  }

  /** A customer (`address.country` set), stored, with its `customer.created` event. */
  customer(input: CustomerInput): Wire<Stripe.Customer> {
    const at = input.at ?? this.#scene.now()
    const customer = this.#scene.store.add(buildCustomer(this.#scene, input, at))
    const batch = new EventBatch(at)
    batch.add('customer.created', customer)
    this.#scene.emit(batch, { apiVersion: this.#version(input.apiVersion), shuffle: false })
    return customer
  }

  /** A product and its default price (one-time, or recurring for subscriptions), stored. */
  product(input: ProductInput): ProductResult {
    const at = input.at ?? this.#scene.now()
    const { product, price } = buildProduct(this.#scene, input, at)
    this.#scene.store.add(product)
    this.#scene.store.add(price)
    const batch = new EventBatch(at)
    batch.add('product.created', product)
    batch.add('price.created', price)
    const events = this.#scene.emit(batch, { apiVersion: this.#version(input.apiVersion), shuffle: false })
    return { product, price, events }
  }

  /**
   * A one-off card payment: payment intent, charge and balance transaction; with `items`, a paid
   * invoice (or, with `checkout: true`, a completed Checkout Session).
   */
  sale(input: SaleInput): SaleResult {
    return sale(this.#scene, { ...input, apiVersion: this.#version(input.apiVersion) })
  }

  /**
   * A card payment placed on hold (`capture_method: 'manual'`): the charge is authorized, not captured.
   * Capture it, in full or in part, with {@link Business.capture}.
   */
  authorize(input: AuthorizeInput): AuthorizationResult {
    return authorize(this.#scene, { ...input, apiVersion: this.#version(input.apiVersion) })
  }

  /** Captures an authorized payment; capturing less than authorized releases the rest of the hold. */
  capture(paymentIntent: Wire<Stripe.PaymentIntent> | string, input: CaptureInput = {}): CaptureResult {
    return capture(this.#scene, paymentIntent, { ...input, apiVersion: this.#version(input.apiVersion) })
  }

  /** A subscription with its first invoice, paid at once (or $0 during a trial). */
  subscribe(input: SubscribeInput): SubscriptionResult {
    return subscribe(this.#scene, { ...input, apiVersion: this.#version(input.apiVersion) })
  }

  /**
   * The next period, paid, at the end of the current one. After a failed renewal, the failed invoice's
   * successful retry, at its `next_payment_attempt`. Without `at` it happens now, so the clock must
   * have reached that moment.
   */
  renew(subscription: Wire<Stripe.Subscription> | string, input: RenewInput = {}): SubscriptionResult {
    return renew(this.#scene, subscription, { ...input, apiVersion: this.#version(input.apiVersion) })
  }

  /**
   * The next period's payment is declined (or a failed invoice's retry is declined again): `past_due`.
   * Due when `renew` would be.
   */
  failRenewal(
    subscription: Wire<Stripe.Subscription> | string,
    input: FailRenewalInput = {},
  ): FailedRenewalResult {
    return failRenewal(this.#scene, subscription, { ...input, apiVersion: this.#version(input.apiVersion) })
  }

  /** `customer.subscription.trial_will_end`, due three days before the trial ends. */
  trialWillEnd(
    subscription: Wire<Stripe.Subscription> | string,
    input: SubscriptionCallOptions = {},
  ): SubscriptionChange {
    return trialWillEnd(this.#scene, subscription, { ...input, apiVersion: this.#version(input.apiVersion) })
  }

  /** Cancels now (`customer.subscription.deleted`) or at period end (`customer.subscription.updated`). */
  cancel(subscription: Wire<Stripe.Subscription> | string, input: CancelInput): SubscriptionChange {
    return cancel(this.#scene, subscription, { ...input, apiVersion: this.#version(input.apiVersion) })
  }

  /** A full or partial card refund. */
  refund(charge: Wire<Stripe.Charge> | string, input: RefundInput = {}): RefundResult {
    return refund(this.#scene, charge, { ...input, apiVersion: this.#version(input.apiVersion) })
  }

  /** A dispute (chargeback) of a charge, its amount and fee withdrawn. */
  dispute(charge: Wire<Stripe.Charge> | string, input: DisputeInput = {}): DisputeResult {
    return dispute(this.#scene, charge, { ...input, apiVersion: this.#version(input.apiVersion) })
  }

  /** Closes a dispute: won (funds reinstated) or lost. */
  closeDispute(
    disputed: Wire<Stripe.Dispute> | string,
    outcome: 'won' | 'lost',
    input: CloseDisputeInput = {},
  ): DisputeResult {
    return closeDispute(this.#scene, disputed, outcome, {
      ...input,
      apiVersion: this.#version(input.apiVersion),
    })
  }

  /** A payout to the bank account: created now, paid or failed when the clock reaches its arrival date. */
  payout(input: PayoutInput): PayoutResult {
    return payout(this.#scene, { ...input, apiVersion: this.#version(input.apiVersion) })
  }

  #version(apiVersion: string | undefined): string {
    return apiVersion === undefined ? this.apiVersion : checkVersion(apiVersion)
  }
}
