import { type Json, record } from './versions.js'

/** Fields that appeared on one kind of object with one API version. */
export interface FieldAddition {
  /** The first version whose objects have the fields. */
  readonly version: string
  /** The `object` kind (nested objects with a kind of their own are rendered as that kind). */
  readonly kind: string
  /** Dot paths from the object (`outcome.advice_code`); a path through a list applies to each element. */
  readonly fields: readonly string[]
}

/**
 * Fields Stripe added to the objects the simulator serves since 2024-04-10, from the "Add support for
 * `field` on `Object`" entries of stripe-node's changelog. A field added between two releases belongs
 * to the next release: a version shows what existed when it came out. Rendering at an older version
 * removes them, so that objects at 2024-04-10 carry only what Stripe's spec of that era defines.
 */
export const FIELD_ADDITIONS: readonly FieldAddition[] = [
  {
    version: '2026-10-28.endive',
    kind: 'dispute',
    fields: ['evidence_details.submission_method', 'intended_submission_method'],
  },
  {
    version: '2026-09-30.endive',
    kind: 'account',
    fields: ['business_profile.specified_commercial_transactions_act_url'],
  },
  {
    version: '2026-09-30.endive',
    kind: 'charge',
    fields: ['payment_method_details.card.electronic_commerce_indicator'],
  },
  { version: '2026-09-30.endive', kind: 'checkout.session', fields: ['allowed_payment_method_types'] },
  { version: '2026-09-30.endive', kind: 'payment_intent', fields: ['payment_record'] },
  { version: '2026-09-30.endive', kind: 'product', fields: ['tax_details'] },
  {
    version: '2026-09-30.endive',
    kind: 'subscription',
    fields: ['trial_settings.end_behavior.billing_cycle_anchor'],
  },
  { version: '2026-09-30.endive', kind: 'subscription_item', fields: ['current_trial'] },
  { version: '2026-08-26.dahlia', kind: 'subscription', fields: ['cancellation_details.feedback_option'] },
  { version: '2026-07-29.dahlia', kind: 'dispute', fields: ['payment_method_details.card.network'] },
  { version: '2026-07-29.dahlia', kind: 'payment_intent', fields: ['allowed_payment_method_types'] },
  {
    version: '2026-07-29.dahlia',
    kind: 'refund',
    fields: ['customer', 'customer_account', 'payment_method'],
  },
  {
    version: '2026-06-24.dahlia',
    kind: 'charge',
    fields: ['payment_method_details.card.transaction_link_id'],
  },
  { version: '2026-05-27.dahlia', kind: 'subscription', fields: ['billing_schedules'] },
  { version: '2026-04-22.dahlia', kind: 'checkout.session', fields: ['managed_payments'] },
  { version: '2026-04-22.dahlia', kind: 'payment_intent', fields: ['managed_payments'] },
  { version: '2026-04-22.dahlia', kind: 'subscription', fields: ['managed_payments'] },
  { version: '2026-03-25.dahlia', kind: 'checkout.session', fields: ['integration_identifier'] },
  { version: '2026-03-25.dahlia', kind: 'line_item', fields: ['quantity_decimal'] },
  { version: '2026-01-28.clover', kind: 'item', fields: ['adjustable_quantity'] },
  { version: '2025-12-15.clover', kind: 'checkout.session', fields: ['customer_account'] },
  { version: '2025-12-15.clover', kind: 'invoice', fields: ['customer_account'] },
  { version: '2025-12-15.clover', kind: 'item', fields: ['metadata'] },
  { version: '2025-12-15.clover', kind: 'line_item', fields: ['subtotal'] },
  { version: '2025-12-15.clover', kind: 'payment_intent', fields: ['customer_account'] },
  { version: '2025-12-15.clover', kind: 'subscription', fields: ['customer_account'] },
  {
    version: '2025-09-30.clover',
    kind: 'checkout.session',
    fields: ['customer_details.business_name', 'customer_details.individual_name'],
  },
  { version: '2025-08-27.basil', kind: 'payment_intent', fields: ['excluded_payment_method_types'] },
  { version: '2025-08-27.basil', kind: 'payout', fields: ['payout_method'] },
  { version: '2025-07-30.basil', kind: 'checkout.session', fields: ['origin_context'] },
  { version: '2025-06-30.basil', kind: 'subscription', fields: ['billing_mode'] },
  { version: '2025-05-28.basil', kind: 'balance_transaction', fields: ['balance_type'] },
  {
    version: '2025-04-30.basil',
    kind: 'account',
    fields: ['business_profile.minority_owned_business_designation'],
  },
  { version: '2025-04-30.basil', kind: 'charge', fields: ['billing_details.tax_id'] },
  {
    version: '2025-04-30.basil',
    kind: 'checkout.session',
    fields: ['automatic_tax.provider', 'wallet_options'],
  },
  { version: '2025-04-30.basil', kind: 'invoice', fields: ['automatic_tax.provider'] },
  { version: '2025-03-31.basil', kind: 'account', fields: ['settings.invoices.hosted_payment_method_save'] },
  { version: '2025-03-31.basil', kind: 'checkout.session', fields: ['permissions'] },
  { version: '2025-02-24.acacia', kind: 'checkout.session', fields: ['collected_information'] },
  { version: '2025-01-27.acacia', kind: 'charge', fields: ['outcome.advice_code'] },
  { version: '2025-01-27.acacia', kind: 'checkout.session', fields: ['discounts'] },
  {
    version: '2024-12-18.acacia',
    kind: 'charge',
    fields: [
      'outcome.network_advice_code',
      'outcome.network_decline_code',
      'payment_method_details.card.network_transaction_id',
      'payment_method_details.card.regulated_status',
    ],
  },
  // Billing credits' pretax amounts: first named by the changelog here (made required).
  {
    version: '2024-12-18.acacia',
    kind: 'invoice',
    fields: ['automatic_tax.disabled_reason', 'total_pretax_credit_amounts'],
  },
  { version: '2024-12-18.acacia', kind: 'line_item', fields: ['pretax_credit_amounts'] },
  { version: '2024-12-18.acacia', kind: 'subscription', fields: ['automatic_tax.disabled_reason'] },
  { version: '2024-11-20.acacia', kind: 'checkout.session', fields: ['adaptive_pricing'] },
  { version: '2024-11-20.acacia', kind: 'payout', fields: ['trace_id'] },
  {
    version: '2024-10-28.acacia',
    kind: 'dispute',
    fields: [
      'enhanced_eligibility_types',
      'evidence.enhanced_evidence',
      'evidence_details.enhanced_eligibility',
    ],
  },
  {
    version: '2024-09-30.acacia',
    kind: 'charge',
    fields: ['payment_method_details.card.authorization_code'],
  },
  { version: '2024-09-30.acacia', kind: 'customer', fields: ['invoice_settings.rendering_options.template'] },
  { version: '2024-09-30.acacia', kind: 'dispute', fields: ['payment_method_details.card.case_type'] },
  { version: '2024-09-30.acacia', kind: 'invoice', fields: ['automatically_finalizes_at'] },
  {
    version: '2024-06-20',
    kind: 'checkout.session',
    fields: ['saved_payment_method_options.payment_method_remove'],
  },
  { version: '2024-06-20', kind: 'subscription', fields: ['invoice_settings'] },
]

/** The downgrade of an addition: the object without those fields. */
export function withoutFields(fields: readonly string[]): (object: Json) => void {
  return (object) => {
    for (const field of fields) removePath(object, field.split('.'))
  }
}

function removePath(value: unknown, segments: readonly string[]): void {
  if (Array.isArray(value)) {
    for (const item of value) removePath(item, segments)
    return
  }
  const object = record(value)
  const [head, ...rest] = segments
  if (object === undefined || head === undefined) return
  if (rest.length === 0) delete object[head]
  else removePath(object[head], rest)
}
