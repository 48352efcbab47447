import { FIELD_ADDITIONS, withoutFields } from './additions.js'
import {
  invoiceBeforeBasil,
  invoiceRenderingOptions,
  lineBeforeBasil,
  planBeforeBasil,
  priceBeforeBasil,
  productFeatures,
  subscriptionBeforeBasil,
  subscriptionItemBeforeBasil,
} from './billing.js'
import {
  chargeInvoice,
  paymentIntentCharges,
  paymentIntentInvoice,
  sessionShippingDetails,
} from './payments.js'
import { atLeast, type Json, type RenderSource } from './versions.js'

/** One change of Stripe's API, as the simulator renders it. */
export interface VersionChange {
  /** First version with the newer shape; objects rendered at older versions get the older one. */
  readonly version: string
  /** The `object` kind it changes. */
  readonly kind: string
  /** What changed, after Stripe's changelog. */
  readonly change: string
  /** Turns an object from the shape at `version` into the shape just before it. */
  readonly downgrade: (object: Json, source: RenderSource) => void
}

/** The breaking changes (renamed, moved and removed fields), each with its hand-written downgrade. */
const BREAKING: readonly VersionChange[] = [
  {
    version: '2025-03-31.basil',
    kind: 'invoice',
    change:
      'removes `charge`, `payment_intent`, `paid`, `paid_out_of_band`, `subscription`, `subscription_details`, ' +
      '`quote`, `tax`, `discount` (use `payments` and `parent`); `total_tax_amounts` becomes `total_taxes`',
    downgrade: invoiceBeforeBasil,
  },
  {
    version: '2025-03-31.basil',
    kind: 'line_item',
    change:
      '`price`, `plan`, `type`, `subscription_item`, `invoice_item`, `proration`, `tax_amounts` ' +
      'move to `pricing.price_details` and `parent.*_details`',
    downgrade: lineBeforeBasil,
  },
  {
    version: '2025-03-31.basil',
    kind: 'subscription',
    change: '`current_period_start` / `_end` move to the subscription items; `discount` removed',
    downgrade: subscriptionBeforeBasil,
  },
  {
    version: '2025-03-31.basil',
    kind: 'subscription_item',
    change: 'items get `current_period_start` / `_end`',
    downgrade: subscriptionItemBeforeBasil,
  },
  {
    version: '2025-03-31.basil',
    kind: 'price',
    change: 'removes `recurring.aggregate_usage`',
    downgrade: priceBeforeBasil,
  },
  {
    version: '2025-03-31.basil',
    kind: 'plan',
    change: 'removes `aggregate_usage`',
    downgrade: planBeforeBasil,
  },
  {
    version: '2025-03-31.basil',
    kind: 'charge',
    change: 'removes `invoice` from Charge',
    downgrade: chargeInvoice,
  },
  {
    version: '2025-03-31.basil',
    kind: 'payment_intent',
    change: 'removes `invoice` from PaymentIntent',
    downgrade: paymentIntentInvoice,
  },
  {
    version: '2025-03-31.basil',
    kind: 'checkout.session',
    change: 'removes `shipping_details` (see `collected_information`)',
    downgrade: sessionShippingDetails,
  },
  {
    version: '2024-04-10',
    kind: 'invoice',
    change: 'renames `rendering_options` to `rendering`',
    downgrade: invoiceRenderingOptions,
  },
  {
    version: '2024-04-10',
    kind: 'product',
    change: 'renames `features` to `marketing_features`',
    downgrade: productFeatures,
  },
  {
    version: '2022-11-15',
    kind: 'payment_intent',
    change: 'removes the `charges` list; use `latest_charge`',
    downgrade: paymentIntentCharges,
  },
]

const ADDED: readonly VersionChange[] = FIELD_ADDITIONS.map((addition) => ({
  version: addition.version,
  kind: addition.kind,
  change: `adds ${addition.fields.map((field) => `\`${field}\``).join(', ')}`,
  downgrade: withoutFields(addition.fields),
}))

/**
 * What changed per version, newest first (downgrades run in this order, each seeing the shape its
 * version left): the breaking changes, and the fields added since 2024-04-10 (`additions.ts`). Stored
 * objects are in the current shape (stripe-node 23's types); the versions the simulator supports are
 * 2020-08-27 and newer. Includable fields (`invoice.payments`, `charge.refunds`,
 * `checkout.session.line_items`) are in `includable.ts`.
 */
export const VERSION_CHANGES: readonly VersionChange[] = [...ADDED, ...BREAKING].sort((a, b) =>
  b.version.slice(0, 10).localeCompare(a.version.slice(0, 10)),
)

/**
 * Event types that do not exist before a version: Stripe never sends them, in `/v1/events` or to an
 * endpoint, at an older one (2025-03-31.basil made invoice payments objects with their own event).
 */
export const EVENT_TYPES_SINCE: Readonly<Record<string, string>> = {
  'invoice_payment.paid': '2025-03-31.basil',
}

/** Whether an event type exists at an API version. */
export function existsAt(type: string, version: string): boolean {
  const since = EVENT_TYPES_SINCE[type]
  return since === undefined || atLeast(version, since)
}

/** The changes that apply to an object of `kind` rendered at `version`, in the order to apply them. */
export function changesFor(kind: string, version: string): VersionChange[] {
  return VERSION_CHANGES.filter((change) => change.kind === kind && !atLeast(version, change.version))
}
