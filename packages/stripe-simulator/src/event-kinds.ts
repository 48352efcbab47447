/**
 * Which `object` kinds an event type carries in `data.object`. Stripe names an event after the object it
 * carries and what happened to it: `charge.succeeded` carries a `charge`, `checkout.session.completed` a
 * `checkout.session`. These are the types whose object is named otherwise, keyed by the type without its
 * last segment (after stripe-node's event types, where each `*Event` names its `data.object` type).
 */
const RESOURCE_KINDS: Readonly<Record<string, readonly string[]>> = {
  'account.application': ['application'],
  'account.external_account': ['bank_account', 'card'],
  'application_fee.refund': ['fee_refund'],
  'billing.alert': ['billing.alert_triggered'],
  'charge.dispute': ['dispute'],
  'charge.refund': ['refund'],
  'customer.discount': ['discount'],
  'customer.source': ['account', 'bank_account', 'card', 'source'],
  'customer.subscription': ['subscription'],
  'customer.tax_id': ['tax_id'],
  'sigma.scheduled_query_run': ['scheduled_query_run'],
  'source.transaction': ['source_transaction'],
}

/** Whole event types whose object breaks the pattern even for their resource. */
const TYPE_KINDS: Readonly<Record<string, readonly string[]>> = {
  'source.mandate_notification': ['source_mandate_notification'],
}

/** Objects that have no `id` of their own (a balance, an account's tax settings...). */
const WITHOUT_ID = new Set([
  'balance',
  'balance_settings',
  'billing.alert_triggered',
  'cash_balance',
  'entitlements.active_entitlement_summary',
  'tax.settings',
])

/**
 * The `object` kinds `data.object` may have for an event type. Types Stripe does not list (a test may
 * make up a new one) follow Stripe's naming: `widget.created` carries a `widget`.
 *
 * @example objectKindsOf('charge.dispute.created') // ['dispute']
 * @example objectKindsOf('issuing_card.created') // ['issuing.card']
 */
export function objectKindsOf(type: string): readonly string[] {
  const exact = TYPE_KINDS[type]
  if (exact !== undefined) return exact
  const resource = type.slice(0, Math.max(0, type.lastIndexOf('.')))
  const named = RESOURCE_KINDS[resource]
  if (named !== undefined) return named
  // Issuing's events are `issuing_card.*`, its objects `issuing.card`.
  return [resource.startsWith('issuing_') ? `issuing.${resource.slice('issuing_'.length)}` : resource]
}

/** Whether objects of a kind carry an `id`. */
export function hasId(kind: string): boolean {
  return !WITHOUT_ID.has(kind)
}
