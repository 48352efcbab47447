import type Stripe from 'stripe'
import { customerFixture } from '../fixtures/customer.js'
import { priceFixture } from '../fixtures/price.js'
import { productFixture } from '../fixtures/product.js'
import type { Wire } from '../wire.js'
import type { Scene } from './context.js'
import { checkAmount } from './money.js'

/** Options of `Business.customer`. */
export interface CustomerInput {
  /** The customer's email. */
  email: string
  /** @default null */
  name?: string | null
  /** Two-letter country code, stored as `address.country`. @default the account's country */
  country?: string
  /** @default null */
  phone?: string | null
  /** Unix seconds. @default the simulator clock */
  at?: number
  /** API version of the `customer.created` event. @default the business's */
  apiVersion?: string
}

/** Options of `Business.product`. */
export interface ProductInput {
  /** The product's name (what invoice lines, Checkout line items and the dashboard show). */
  name: string
  /** Price per unit in the currency's smallest unit (cents; yen for JPY; fils, multiples of 10, for KWD). */
  unitAmount: number
  /** Lower-case ISO code. @default the account's default currency */
  currency?: string
  /** A recurring price (for subscriptions); a one-time price without it. */
  recurring?: { interval: 'day' | 'week' | 'month' | 'year'; intervalCount?: number }
  /** @default null */
  description?: string | null
  /** Unix seconds. @default the simulator clock */
  at?: number
  /** API version of the `product.created` and `price.created` events. @default the business's */
  apiVersion?: string
}

/** A new customer object (not stored). */
export function buildCustomer(scene: Scene, input: CustomerInput, created: number): Wire<Stripe.Customer> {
  return {
    ...structuredClone(customerFixture),
    id: scene.id('cus'),
    address: {
      city: null,
      country: input.country ?? scene.account.country,
      line1: null,
      line2: null,
      postal_code: null,
      state: null,
    },
    created,
    currency: null,
    email: input.email,
    invoice_prefix: scene.token(8).toUpperCase(),
    livemode: scene.livemode,
    name: input.name ?? null,
    next_invoice_sequence: 1,
    phone: input.phone ?? null,
  }
}

/** A new product and its default price (not stored). */
export function buildProduct(
  scene: Scene,
  input: ProductInput,
  created: number,
): { product: Wire<Stripe.Product>; price: Wire<Stripe.Price> } {
  const currency = (input.currency ?? scene.account.defaultCurrency).toLowerCase()
  checkAmount(input.unitAmount, currency, 'unitAmount')
  const productId = scene.id('prod')
  const price: Wire<Stripe.Price> = {
    ...structuredClone(priceFixture),
    id: scene.id('price'),
    created,
    currency,
    livemode: scene.livemode,
    product: productId,
    recurring:
      input.recurring === undefined
        ? null
        : {
            interval: input.recurring.interval,
            interval_count: input.recurring.intervalCount ?? 1,
            meter: null,
            trial_period_days: null,
            usage_type: 'licensed',
          },
    type: input.recurring === undefined ? 'one_time' : 'recurring',
    unit_amount: input.unitAmount,
    unit_amount_decimal: String(input.unitAmount),
  }
  const product: Wire<Stripe.Product> = {
    ...structuredClone(productFixture),
    id: productId,
    created,
    default_price: price.id,
    description: input.description ?? null,
    livemode: scene.livemode,
    name: input.name,
    type: 'service',
    updated: created,
  }
  return { product, price }
}
