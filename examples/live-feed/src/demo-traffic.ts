import { REQUIRED_PERMISSIONS } from '@cashnotify/core'
import {
  type Business,
  type ProductResult,
  type SaleResult,
  type SimAccount,
  type StripeSimulator,
  samplePng,
} from '@cashnotify/stripe-simulator'

/** One simulated Stripe account of the demo business, its key, and what it sells to whom. */
export interface DemoAccount {
  /** The simulated account. */
  readonly account: SimAccount
  /** A restricted key with every permission CashNotify uses, required and optional. */
  readonly key: string
  /** Makes things happen on the account (`shop.sale(…)`). */
  readonly shop: Business
  /** Its customers. */
  readonly customers: ReadonlyArray<ReturnType<Business['customer']>>
  /** Its products' prices. */
  readonly prices: ReadonlyArray<ProductResult['price']>
}

interface Catalog {
  businessName: string
  country: string
  rgb: [number, number, number]
  products: Array<{ name: string; unitAmount: number; currency: string }>
  customers: Array<{ email: string; name: string; country: string }>
}

/** A coffee roaster that sells in dollars and a tea house that sells in yen (a zero-decimal currency). */
const CATALOGS: readonly Catalog[] = [
  {
    businessName: 'Northwind Coffee',
    country: 'US',
    rgb: [142, 94, 60],
    products: [
      { name: 'House blend, 1 kg', unitAmount: 2400, currency: 'usd' },
      { name: 'Pour-over kit', unitAmount: 4900, currency: 'usd' },
      { name: 'Enamel mug', unitAmount: 1450, currency: 'usd' },
      { name: 'Cold brew concentrate', unitAmount: 1800, currency: 'usd' },
    ],
    customers: [
      { email: 'jane.doe@example.com', name: 'Jane Doe', country: 'US' },
      { email: 'marco@example.it', name: 'Marco Rossi', country: 'IT' },
      { email: 'amara.o@example.ng', name: 'Amara Okafor', country: 'NG' },
      { email: 'lee.chen@example.ca', name: 'Lee Chen', country: 'CA' },
    ],
  },
  {
    businessName: 'Sakura Tea House',
    country: 'JP',
    rgb: [222, 92, 138],
    products: [
      { name: 'Ceremonial matcha, 30 g', unitAmount: 3200, currency: 'jpy' },
      { name: 'Sencha, 100 g', unitAmount: 1800, currency: 'jpy' },
      { name: 'Tokoname teapot', unitAmount: 12800, currency: 'jpy' },
    ],
    customers: [
      { email: 'haruto@example.jp', name: 'Haruto Sato', country: 'JP' },
      { email: 'yui.tanaka@example.jp', name: 'Yui Tanaka', country: 'JP' },
      { email: 'sophie@example.fr', name: 'Sophie Martin', country: 'FR' },
    ],
  },
]

/**
 * Creates the demo business on a simulator: two accounts, each with a logo, a live restricted key,
 * customers and products. Nothing is sold yet: see {@link startDemoTraffic}.
 */
export function createDemoAccounts(
  sim: StripeSimulator,
  options: { livemode?: boolean } = {},
): DemoAccount[] {
  const livemode = options.livemode ?? true
  return CATALOGS.map((catalog) => {
    const account = sim.createAccount({
      businessName: catalog.businessName,
      country: catalog.country,
      icon: samplePng({ size: 64, rgb: catalog.rgb }),
    })
    const key = sim.createKey({
      account: account.id,
      kind: 'restricted',
      mode: livemode ? 'live' : 'test',
      // The required ones, the optional name and logo ones, and Checkout's line items for guest orders.
      permissions: [
        ...REQUIRED_PERMISSIONS,
        'rak_connected_account_read',
        'rak_file_write',
        'rak_checkout_session_read',
      ],
    })
    const shop = sim.business(account.id, { livemode })
    return {
      account,
      key,
      shop,
      customers: catalog.customers.map((customer) => shop.customer(customer)),
      prices: catalog.products.map((product) => shop.product(product).price),
    }
  })
}

/** Options of {@link startDemoTraffic}. */
export interface DemoTrafficOptions {
  /** Time between two sales, ms. @default 4000 */
  intervalMs?: number
  /** Source of randomness in [0, 1). @default Math.random */
  random?: () => number
}

/** Sales being generated; {@link DemoTraffic.stop} ends them. */
export interface DemoTraffic {
  /** Makes one sale now, on a random account, and returns it. */
  sell(): SaleResult
  /** Stops making sales. */
  stop(): void
}

/**
 * Makes a sale every few seconds on a random demo account: one or two of its products, to one of its
 * customers (sometimes a guest paying without an account).
 */
export function startDemoTraffic(
  accounts: readonly DemoAccount[],
  options: DemoTrafficOptions = {},
): DemoTraffic {
  const random = options.random ?? Math.random
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(random() * items.length)]
    if (item === undefined) throw new Error('Expected a non-empty list to pick from.')
    return item
  }
  const sell = (): SaleResult => {
    const { shop, customers, prices } = pick(accounts)
    const first = pick(prices)
    const second = pick(prices)
    const items = [{ price: first, quantity: 1 + Math.floor(random() * 2) }]
    if (second.id !== first.id && random() < 0.35) items.push({ price: second, quantity: 1 })
    if (random() < 0.2) {
      return shop.sale({ items, checkout: true, guest: { email: 'guest@example.com', country: 'GB' } })
    }
    return shop.sale({ customer: pick(customers), items })
  }
  const timer = setInterval(sell, options.intervalMs ?? 4000)
  return { sell, stop: () => clearInterval(timer) }
}
