import {
  invoiceBeforeBasil,
  invoiceRenderingOptions,
  lineBeforeBasil,
  lineWithoutSubscription,
  lineWithoutSubtotal,
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

/** One breaking change of Stripe's API, as the simulator renders it. */
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

/**
 * What changed per version, newest first (downgrades run in this order, each seeing the shape its
 * version left). Stored objects are in the current shape (stripe-node 23's types); the versions the
 * simulator supports are 2020-08-27 and newer. Includable fields (`invoice.payments`, `charge.refunds`,
 * `checkout.session.line_items`) are in `includable.ts`.
 */
export const VERSION_CHANGES: readonly VersionChange[] = [
  {
    version: '2025-12-15',
    kind: 'line_item',
    change: 'clover: adds `subtotal` to invoice line items',
    downgrade: lineWithoutSubtotal,
  },
  {
    // Basil's line items had no `subscription` (2025-03-31 "adds new parent field"); stripe-node 23's
    // types have it again. The simulator assumes it came back with clover.
    version: '2025-09-30',
    kind: 'line_item',
    change: 'clover (assumed): `subscription` back on invoice line items',
    downgrade: lineWithoutSubscription,
  },
  {
    version: '2025-03-31',
    kind: 'invoice',
    change:
      'basil: removes `charge`, `payment_intent`, `paid`, `paid_out_of_band`, `subscription`, ' +
      '`subscription_details`, `quote` (use `payments` and `parent`); `total_tax_amounts` becomes `total_taxes`',
    downgrade: invoiceBeforeBasil,
  },
  {
    version: '2025-03-31',
    kind: 'line_item',
    change:
      'basil: `price`, `plan`, `type`, `subscription_item`, `invoice_item`, `proration`, `tax_amounts` ' +
      'move to `pricing.price_details` and `parent.*_details`',
    downgrade: lineBeforeBasil,
  },
  {
    version: '2025-03-31',
    kind: 'subscription',
    change: 'basil: `current_period_start` / `_end` move to the subscription items; `discount` removed',
    downgrade: subscriptionBeforeBasil,
  },
  {
    version: '2025-03-31',
    kind: 'subscription_item',
    change: 'basil: items get `current_period_start` / `_end`',
    downgrade: subscriptionItemBeforeBasil,
  },
  {
    version: '2025-03-31',
    kind: 'charge',
    change: 'basil: removes `invoice` from Charge',
    downgrade: chargeInvoice,
  },
  {
    version: '2025-03-31',
    kind: 'payment_intent',
    change: 'basil: removes `invoice` from PaymentIntent',
    downgrade: paymentIntentInvoice,
  },
  {
    version: '2025-03-31',
    kind: 'checkout.session',
    change: 'basil: removes `shipping_details` (see `collected_information`)',
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

/** Event types that exist only from a version on. */
export const EVENT_TYPES_SINCE: Readonly<Record<string, string>> = {
  // 2024-10-28.acacia: refund.created / refund.updated / refund.failed for all refunds (card ones too).
  'refund.created': '2024-10-28',
  'refund.updated': '2024-10-28',
  // 2025-03-31.basil: invoice payments are objects with their own event.
  'invoice_payment.paid': '2025-03-31',
}

/** Event types that stop being sent from a version on (card refunds' updates before 2024-10-28). */
export const EVENT_TYPES_UNTIL: Readonly<Record<string, string>> = {
  'charge.refund.updated': '2024-10-28',
}

/** Whether Stripe sends an event type to an endpoint (or in `/v1/events`) at a version. */
export function sentAt(type: string, version: string): boolean {
  const since = EVENT_TYPES_SINCE[type]
  const until = EVENT_TYPES_UNTIL[type]
  return (since === undefined || atLeast(version, since)) && (until === undefined || !atLeast(version, until))
}

/** The changes that apply to an object of `kind` rendered at `version`, in the order to apply them. */
export function changesFor(kind: string, version: string): VersionChange[] {
  return VERSION_CHANGES.filter((change) => change.kind === kind && !atLeast(version, change.version))
}
