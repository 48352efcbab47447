/** How a list parameter filters objects: which fields (dot paths, arrays traversed) it compares. */
export interface ListFilter {
  /** Dot paths into the object; the filter matches when any value found equals the parameter. */
  readonly paths: readonly string[]
  /**
   * `ref` also matches an expanded object's `id`; `oneOf` takes an array parameter; `hash` takes
   * `name[key]=value` pairs, each compared at `<path>.<key>`.
   */
  readonly type: 'ref' | 'string' | 'boolean' | 'oneOf' | 'hash'
  /** A parameter value that means "no filter" (subscriptions' `status=all`). */
  readonly all?: string
  /** Values hidden when the parameter is absent (subscriptions hide `canceled` by default). */
  readonly hiddenByDefault?: readonly string[]
}

/** A listable, retrievable Stripe resource as the simulator serves it. */
export interface ResourceSpec {
  /** The `object` value of its objects. */
  readonly kind: string
  /** The path of its list endpoint; retrieve is `<path>/:id`. */
  readonly path: string
  /** Word used in "No such <label>: 'id'". */
  readonly label: string
  /** Permission a restricted key needs to read it. */
  readonly permission: string
  /** Filter parameters beyond the common list ones. */
  readonly filters: Readonly<Record<string, ListFilter>>
  /** Range parameters (`created` plus e.g. payouts' `arrival_date`). */
  readonly ranges: readonly string[]
  /** Real Stripe parameters the simulator refuses rather than silently ignores. */
  readonly unsupported: readonly string[]
  /** First API version with the resource (older versions answer its paths 404). */
  readonly since?: string
}

const ref = (...paths: string[]): ListFilter => ({ paths, type: 'ref' })
const str = (...paths: string[]): ListFilter => ({ paths, type: 'string' })
const bool = (path: string): ListFilter => ({ paths: [path], type: 'boolean' })
const oneOf = (path: string): ListFilter => ({ paths: [path], type: 'oneOf' })
const hash = (path: string): ListFilter => ({ paths: [path], type: 'hash' })

/** The plain list/retrieve resources (events, files and the account have their own routes). */
export const LIST_RESOURCES: readonly ResourceSpec[] = [
  {
    kind: 'customer',
    path: '/v1/customers',
    label: 'customer',
    permission: 'rak_customer_read',
    filters: { email: str('email') },
    ranges: ['created'],
    unsupported: ['test_clock'],
  },
  {
    kind: 'invoice',
    path: '/v1/invoices',
    label: 'invoice',
    permission: 'rak_invoice_read',
    filters: {
      customer: ref('customer'),
      status: str('status'),
      collection_method: str('collection_method'),
      // Pre-2025 invoices carry `subscription`; current ones `parent.subscription_details.subscription`.
      subscription: ref('subscription', 'parent.subscription_details.subscription'),
    },
    ranges: ['created'],
    unsupported: ['due_date', 'customer_account'],
  },
  {
    kind: 'payout',
    path: '/v1/payouts',
    label: 'payout',
    permission: 'rak_payout_read',
    filters: { status: str('status'), destination: ref('destination') },
    ranges: ['created', 'arrival_date'],
    unsupported: [],
  },
  {
    kind: 'subscription',
    path: '/v1/subscriptions',
    label: 'subscription',
    permission: 'rak_subscription_read',
    filters: {
      customer: ref('customer'),
      price: ref('items.data.price'),
      collection_method: str('collection_method'),
      status: { paths: ['status'], type: 'string', all: 'all', hiddenByDefault: ['canceled'] },
    },
    ranges: ['created'],
    unsupported: [
      'automatic_tax',
      'current_period_end',
      'current_period_start',
      'test_clock',
      'customer_account',
    ],
  },
  {
    kind: 'product',
    path: '/v1/products',
    label: 'product',
    permission: 'rak_product_read',
    filters: { active: bool('active'), shippable: bool('shippable'), url: str('url'), ids: oneOf('id') },
    ranges: ['created'],
    unsupported: [],
  },
  {
    kind: 'price',
    path: '/v1/prices',
    label: 'price',
    permission: 'rak_price_read',
    filters: {
      active: bool('active'),
      currency: str('currency'),
      product: ref('product'),
      type: str('type'),
      lookup_keys: oneOf('lookup_key'),
    },
    ranges: ['created'],
    unsupported: ['recurring'],
  },
  {
    kind: 'charge',
    path: '/v1/charges',
    label: 'charge',
    permission: 'rak_charge_read',
    filters: {
      customer: ref('customer'),
      payment_intent: ref('payment_intent'),
      transfer_group: str('transfer_group'),
    },
    ranges: ['created'],
    unsupported: [],
  },
  {
    kind: 'payment_intent',
    path: '/v1/payment_intents',
    label: 'payment_intent',
    permission: 'rak_payment_intent_read',
    filters: { customer: ref('customer') },
    ranges: ['created'],
    unsupported: ['customer_account'],
  },
  {
    kind: 'balance_transaction',
    path: '/v1/balance_transactions',
    label: 'balance transaction',
    permission: 'rak_balance_read',
    filters: { type: str('type'), currency: str('currency'), source: ref('source') },
    ranges: ['created'],
    unsupported: ['payout'],
  },
  {
    kind: 'checkout.session',
    path: '/v1/checkout/sessions',
    label: 'checkout.session',
    permission: 'rak_checkout_session_read',
    filters: {
      customer: ref('customer'),
      payment_intent: ref('payment_intent'),
      subscription: ref('subscription'),
      payment_link: ref('payment_link'),
      status: str('status'),
    },
    ranges: ['created'],
    unsupported: ['customer_details', 'customer_account'],
  },
  {
    kind: 'refund',
    path: '/v1/refunds',
    label: 'refund',
    permission: 'rak_refund_read',
    filters: { charge: ref('charge'), payment_intent: ref('payment_intent') },
    ranges: ['created'],
    unsupported: [],
  },
  {
    kind: 'dispute',
    path: '/v1/disputes',
    label: 'dispute',
    permission: 'rak_dispute_read',
    filters: { charge: ref('charge'), payment_intent: ref('payment_intent') },
    ranges: ['created'],
    unsupported: [],
  },
  {
    // 2025-03-31.basil: how to get from a payment intent to its invoice
    // (`payment[type]=payment_intent&payment[payment_intent]=pi_...`). Invoice permission.
    kind: 'invoice_payment',
    path: '/v1/invoice_payments',
    label: 'invoice payment',
    permission: 'rak_invoice_read',
    filters: { invoice: ref('invoice'), status: str('status'), payment: hash('payment') },
    ranges: ['created'],
    unsupported: [],
    since: '2025-03-31.basil',
  },
]

/** Objects the simulator stores that have no list endpoint of their own here. */
const OTHER_KINDS: Readonly<Record<string, { label: string; permission: string }>> = {
  event: { label: 'event', permission: 'rak_event_read' },
  file: { label: 'file upload', permission: 'rak_file_read' },
  file_link: { label: 'file link', permission: 'rak_file_read' },
  webhook_endpoint: { label: 'webhook endpoint', permission: 'rak_webhook_read' },
}

/** Label ("No such ...") and read permission of a stored kind. */
export function kindInfo(kind: string): { label: string; permission: string } | undefined {
  return LIST_RESOURCES.find((spec) => spec.kind === kind) ?? OTHER_KINDS[kind]
}

const PREFIX_KINDS: Readonly<Record<string, string>> = {
  cus: 'customer',
  ch: 'charge',
  py: 'charge',
  txn: 'balance_transaction',
  in: 'invoice',
  sub: 'subscription',
  pi: 'payment_intent',
  po: 'payout',
  prod: 'product',
  price: 'price',
  plan: 'price',
  cs: 'checkout.session',
  re: 'refund',
  pyr: 'refund',
  dp: 'dispute',
  du: 'dispute',
  inpay: 'invoice_payment',
  file: 'file',
  link: 'file_link',
  evt: 'event',
}

/** The kind an id names, from its prefix (`cus_...` is a customer), as Stripe's expansion resolves it. */
export function kindOfId(id: string): string | undefined {
  const prefix = id.slice(0, id.indexOf('_'))
  return PREFIX_KINDS[prefix]
}
