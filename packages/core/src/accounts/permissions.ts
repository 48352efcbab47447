import type { KeyMode } from '../stripe/credential.js'

/** One permission of a restricted key that CashNotify uses. */
export interface PermissionInfo {
  /** Required permissions are the minimum set of the help article; optional ones only add comfort. */
  readonly required: boolean
  /** The resource as the dashboard's restricted-key form names it. */
  readonly resource: string
  /** Why CashNotify needs it. */
  readonly purpose: string
  /** The feature that degrades without it. */
  readonly feature: Feature
  /** What the user loses without it, in words. */
  readonly withoutIt: string
  /**
   * The cheap read that proves the permission (`GET`, `limit=1`), or `null` when it cannot be probed
   * without a side effect.
   */
  readonly probe: string | null
}

/** The features of CashNotify that depend on a permission. */
export type Feature =
  | 'events'
  | 'fees'
  | 'products'
  | 'payouts'
  | 'subscriptions'
  | 'customers'
  | 'product_names'
  | 'account_name'
  | 'account_logo'
  | 'checkout_products'

/**
 * The permissions of the product's help article: seven required (read-only) and two optional; and one
 * more optional right, beyond the article, for the products of Checkout payments. Enrichment works with
 * exactly the seven; everything else degrades gracefully, and says so in `featuresLost`.
 */
export const PERMISSIONS = {
  rak_balance_read: {
    required: true,
    resource: 'Balance',
    purpose: 'Read the balance transaction of each payment: the Stripe fee and the net amount.',
    feature: 'fees',
    withoutIt: 'Sales arrive without their fee and net amount.',
    probe: '/v1/balance_transactions',
  },
  rak_event_read: {
    required: true,
    resource: 'Events',
    purpose: 'See new sales, refunds, subscriptions and payouts as they happen.',
    feature: 'events',
    withoutIt: 'Nothing can be watched: the account cannot be added.',
    probe: '/v1/events',
  },
  rak_invoice_read: {
    required: true,
    resource: 'Invoices',
    purpose: 'Link a payment to its invoice, and so to the products that were bought.',
    feature: 'products',
    withoutIt: 'Subscription and invoice payments arrive without their products.',
    probe: '/v1/invoices',
  },
  rak_payout_read: {
    required: true,
    resource: 'Payouts',
    purpose: 'Read payout amounts and arrival dates.',
    feature: 'payouts',
    withoutIt:
      'Nothing today: payout events carry their amount and arrival date; it is part of the minimum set so payouts can be read again.',
    probe: '/v1/payouts',
  },
  rak_subscription_read: {
    required: true,
    resource: 'Subscriptions',
    purpose: 'Tell a new subscription from a renewal, and read its status and interval.',
    feature: 'subscriptions',
    withoutIt: 'Subscription events arrive without status, interval or amount.',
    probe: '/v1/subscriptions',
  },
  rak_customer_read: {
    required: true,
    resource: 'Customers',
    purpose: "Show the customer's email, name and country.",
    feature: 'customers',
    withoutIt: 'Sales arrive without the customer’s email, name and country.',
    probe: '/v1/customers',
  },
  rak_product_read: {
    required: true,
    resource: 'Products',
    purpose: 'Show the names of the products that were bought.',
    feature: 'product_names',
    withoutIt: 'Products are shown by id instead of by name.',
    probe: '/v1/products',
  },
  rak_connected_account_read: {
    required: false,
    resource: 'Connected accounts (Connect)',
    purpose: "Read the account's business name, to label its notifications.",
    feature: 'account_name',
    withoutIt: 'The account gets a generic name (you can set your own).',
    probe: '/v1/account',
  },
  rak_checkout_session_read: {
    required: false,
    resource: 'Checkout Sessions',
    purpose: 'Read the line items of a Checkout payment that has no invoice, to name what was bought.',
    feature: 'checkout_products',
    withoutIt: 'Checkout payments without an invoice arrive without their products.',
    probe: '/v1/checkout/sessions',
  },
  rak_file_write: {
    required: false,
    resource: 'Files',
    purpose: "Make a public link to the account's logo, to show it in notifications.",
    feature: 'account_logo',
    withoutIt: 'The account gets a generic logo (you can set your own).',
    probe: null,
  },
} as const satisfies Record<string, PermissionInfo>

/** The name of a permission CashNotify knows, e.g. `rak_event_read`. */
export type PermissionName = keyof typeof PERMISSIONS

/** Every permission CashNotify knows, required ones first, in the order of the help article. */
export const PERMISSION_NAMES = Object.keys(PERMISSIONS) as readonly PermissionName[]

/** The seven permissions of the minimum restricted key. */
export const REQUIRED_PERMISSIONS: readonly PermissionName[] = PERMISSION_NAMES.filter(
  (name) => PERMISSIONS[name].required,
)

/** The permissions that only add comfort: the account's name and logo, Checkout's products. */
export const OPTIONAL_PERMISSIONS: readonly PermissionName[] = PERMISSION_NAMES.filter(
  (name) => !PERMISSIONS[name].required,
)

/** Whether a string is a permission CashNotify knows. */
export function isPermissionName(name: string): name is PermissionName {
  return Object.hasOwn(PERMISSIONS, name)
}

/** Options of {@link restrictedKeyUrl}. */
export interface RestrictedKeyUrlOptions {
  /** Test-mode keys are created under `/test/apikeys`. @default 'live' */
  mode?: KeyMode
  /** The key's name in the dashboard. @default 'CashNotify' */
  name?: string
  /** Also ask for the optional permissions (account name and logo, Checkout's products). @default false */
  includeOptional?: boolean
}

/**
 * The dashboard link that opens "Create restricted key" pre-filled with exactly the minimum permissions.
 * Stripe does not document this link, so always show {@link REQUIRED_PERMISSIONS} beside it.
 *
 * @example
 * ```ts
 * restrictedKeyUrl({ mode: 'test' })
 * // 'https://dashboard.stripe.com/test/apikeys/create?name=CashNotify&permissions[]=rak_balance_read&…'
 * ```
 */
export function restrictedKeyUrl(options: RestrictedKeyUrlOptions = {}): string {
  const { mode = 'live', name = 'CashNotify', includeOptional = false } = options
  const permissions = includeOptional ? PERMISSION_NAMES : REQUIRED_PERMISSIONS
  const path = mode === 'test' ? '/test/apikeys/create' : '/apikeys/create'
  const query = [`name=${encodeURIComponent(name)}`, ...permissions.map((p) => `permissions[]=${p}`)]
  return `https://dashboard.stripe.com${path}?${query.join('&')}`
}
