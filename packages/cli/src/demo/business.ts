import { OPTIONAL_PERMISSIONS, REQUIRED_PERMISSIONS } from '@cashnotify/core'
import {
  type Business,
  type ProductResult,
  type SaleResult,
  type SimAccount,
  type StripeSimulator,
  type SubscriptionResult,
  samplePng,
} from '@cashnotify/stripe-simulator'
import type { Random } from './random.js'

type Price = ProductResult['price']
type Customer = ReturnType<Business['customer']>

/** One demo account: its business on the simulator, its key, and what traffic can act on. */
export interface DemoShop {
  /** The simulator account (name, logo). */
  readonly account: SimAccount
  /** Its name, as the notifications show it. */
  readonly name: string
  /** A restricted key with every permission CashNotify uses, in the shop's mode. */
  readonly key: string
  /** The environment variable the demo's config names for that key (`keyEnv`). */
  readonly keyEnv: string
  /** Live or test mode. */
  readonly livemode: boolean
  /** What makes its events happen. */
  readonly business: Business
  /** One-off prices. */
  readonly products: readonly Price[]
  /** Recurring prices. */
  readonly plans: readonly Price[]
  /** Customers so far. */
  readonly customers: Customer[]
  /** Recent charges that may still be refunded or disputed. */
  readonly charges: Array<SaleResult['charge']>
  /** Subscriptions that renew. */
  readonly subscriptions: Array<SubscriptionResult['subscription']>
}

interface ShopSpec {
  readonly name: string
  readonly keyEnv: string
  readonly livemode: boolean
  readonly country: string
  readonly rgb: readonly [number, number, number]
  readonly products: ReadonlyArray<readonly [name: string, amount: number]>
  readonly plans: ReadonlyArray<readonly [name: string, amount: number, interval: 'month' | 'year']>
}

/** A coffee roaster in live mode (dollars), a design studio in test mode (euros). */
const SHOPS: readonly ShopSpec[] = [
  {
    name: 'Northwind Coffee Roasters',
    keyEnv: 'DEMO_NORTHWIND_KEY',
    livemode: true,
    country: 'US',
    rgb: [111, 78, 55],
    products: [
      ['House Blend, 1 kg', 2400],
      ['Single Origin Sampler', 3800],
      ['Pour-Over Kit', 5900],
      ['Barista Course', 14_900],
    ],
    plans: [
      ['Coffee Club', 2900, 'month'],
      ['Coffee Club, yearly', 29_000, 'year'],
    ],
  },
  {
    name: 'Bluebird Studio',
    keyEnv: 'DEMO_BLUEBIRD_KEY',
    livemode: false,
    country: 'FR',
    rgb: [52, 120, 246],
    products: [
      ['Icon Pack', 1200],
      ['Template Bundle', 4500],
    ],
    plans: [
      ['Bluebird Pro', 1900, 'month'],
      ['Bluebird Team', 7900, 'month'],
    ],
  },
]

/** The people who buy, with their country, so that notifications show flags of the whole world. */
export const PEOPLE: ReadonlyArray<readonly [name: string, country: string]> = [
  ['Jane Doe', 'US'],
  ['Luis García', 'ES'],
  ['Aiko Tanaka', 'JP'],
  ['Oliver Smith', 'GB'],
  ['Chloé Martin', 'FR'],
  ['Noah Müller', 'DE'],
  ['Priya Patel', 'IN'],
  ['Lucas Silva', 'BR'],
  ['Emma Johansson', 'SE'],
  ['Mateo Rossi', 'IT'],
  ['Grace Kim', 'KR'],
  ['Ava Brown', 'CA'],
]

/** `Chloé Martin` → `chloe.martin@example.com`. */
export function emailOf(name: string): string {
  const local = name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '.')
  return `${local}@example.com`
}

function createShop(sim: StripeSimulator, spec: ShopSpec): DemoShop {
  const logo = samplePng({ size: 64, rgb: spec.rgb })
  const account = sim.createAccount({ businessName: spec.name, country: spec.country, icon: logo, logo })
  const key = sim.createKey({
    account: account.id,
    kind: 'restricted',
    mode: spec.livemode ? 'live' : 'test',
    // Checkout sessions are beyond the minimum set: with them, Checkout sales name their products.
    permissions: [...REQUIRED_PERMISSIONS, ...OPTIONAL_PERMISSIONS, 'rak_checkout_session_read'],
  })
  const business = sim.business(account.id, { livemode: spec.livemode })
  const currency = account.defaultCurrency
  return {
    account,
    name: spec.name,
    key,
    keyEnv: spec.keyEnv,
    livemode: spec.livemode,
    business,
    products: spec.products.map(
      ([name, unitAmount]) => business.product({ name, unitAmount, currency }).price,
    ),
    plans: spec.plans.map(
      ([name, unitAmount, interval]) =>
        business.product({ name, unitAmount, currency, recurring: { interval } }).price,
    ),
    customers: [],
    charges: [],
    subscriptions: [],
  }
}

/** The demo's two accounts, on the simulator, with their catalogues. */
export function createDemoShops(sim: StripeSimulator): DemoShop[] {
  return SHOPS.map((spec) => createShop(sim, spec))
}

/** A customer of the shop: a new one while some people have not bought yet, else often a returning one. */
export function customerOf(shop: DemoShop, random: Random, at: number): Customer {
  const fresh = PEOPLE.filter(([name]) => !shop.customers.some((customer) => customer.name === name))
  if (fresh.length > 0 && (shop.customers.length === 0 || random.chance(0.6))) {
    const [name, country] = random.pick(fresh)
    const customer = shop.business.customer({ name, email: emailOf(name), country, at })
    shop.customers.push(customer)
    return customer
  }
  return random.pick(shop.customers)
}
