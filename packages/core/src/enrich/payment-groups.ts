import type Stripe from 'stripe'
import { idOf, invoiceChargeId, invoicePaymentIntentId, items, type Json, num, obj, str } from './fields.js'

/** The Stripe events that say a payment succeeded; each names some of the payment's ids. */
export const PAYMENT_EVENT_TYPES = new Set([
  'payment_intent.succeeded',
  'charge.succeeded',
  'charge.captured',
  'charge.updated',
  'invoice.paid',
  'invoice.payment_succeeded',
  'invoice_payment.paid',
  'checkout.session.completed',
])

/** Events that prove money moved: without one of these (or a paid invoice), a group is no sale. */
const PRIMARY = new Set(['payment_intent.succeeded', 'charge.succeeded', 'charge.captured'])

/** The events of one payment, with the objects they carry. */
export interface PaymentGroup {
  /** Every id of the payment: `pi_…`, `ch_…`, `in_…`, `cs_…`. */
  readonly ids: Set<string>
  /** Its events, oldest first. */
  readonly events: Stripe.Event[]
}

/** A payment event's object, or undefined when the event does not describe a payment that succeeded. */
function paymentObject(event: Stripe.Event): Json | undefined {
  const object = obj(event.data.object)
  if (!object || !PAYMENT_EVENT_TYPES.has(event.type)) return undefined
  // An authorisation is no sale until it is captured.
  if (event.type === 'charge.succeeded' && object.captured === false) return undefined
  if (event.type === 'charge.updated' && object.status !== 'succeeded') return undefined
  if (event.type === 'checkout.session.completed' && object.payment_status === 'unpaid') return undefined
  return object
}

/** The ids an event's object names, at whatever API version it was rendered. */
export function idsOf(event: Stripe.Event): string[] {
  const object = paymentObject(event)
  if (!object) return []
  const ids: Array<string | undefined> = [str(object.id)]
  switch (object.object) {
    case 'payment_intent':
      ids.push(
        idOf(object.latest_charge),
        idOf(object.invoice),
        ...items(object.charges).map((c) => str(c.id)),
      )
      break
    case 'charge':
      ids.push(idOf(object.payment_intent), idOf(object.invoice))
      break
    case 'invoice':
      ids.push(invoicePaymentIntentId(object), invoiceChargeId(object))
      break
    case 'invoice_payment': {
      const payment = obj(object.payment)
      ids.push(idOf(object.invoice), idOf(payment?.payment_intent), idOf(payment?.charge))
      break
    }
    case 'checkout.session':
      ids.push(idOf(object.payment_intent), idOf(object.invoice))
      break
  }
  return ids.filter((id): id is string => id !== undefined)
}

/** Whether a group holds proof of a payment: a primary event, or an invoice paid with money. */
export function isPaid(group: PaymentGroup): boolean {
  return group.events.some((event) => {
    if (PRIMARY.has(event.type)) return paymentObject(event) !== undefined
    const object = obj(event.data.object)
    return object?.object === 'invoice' && (num(object.amount_paid) ?? 0) > 0
  })
}

/**
 * How Stripe describes the payment intent it creates to pay an invoice. Since 2025-03-31 neither the
 * payment intent nor the charge names its invoice, so this is what tells an invoice's payment, whose
 * invoice events are still to come, from a one-off payment.
 */
const INVOICE_PAYMENT_DESCRIPTION = /^(Subscription (creation|update|cycle)|Payment for Invoice)\b/

/**
 * Whether a payment intent, at a version that no longer names invoices, is a one-off payment: no customer
 * (an invoice always has one), or not worded as an invoice's payment.
 */
function oneOffPaymentIntent(intent: Json): boolean {
  if (intent.customer === null || intent.customer === undefined) return true
  return !INVOICE_PAYMENT_DESCRIPTION.test(str(intent.description) ?? '')
}

/**
 * Whether nothing more of this payment is to be expected: it has its primary event and either its
 * invoice, a Checkout Session, an object saying there is no invoice (versions before 2025-03-31 name it),
 * or — at later versions — both its charge and payment intent (or a charge with none) and nothing that
 * marks it as an invoice's payment. Other groups wait for their last events or for `settle`, so that a
 * sale's invoice is not missed.
 */
export function isComplete(group: PaymentGroup): boolean {
  const objects = group.events.map((event) => obj(event.data.object) ?? {})
  const hasPrimary = group.events.some((event) => PRIMARY.has(event.type))
  if (!hasPrimary) return false
  const hasInvoice = objects.some((o) => o.object === 'invoice' || o.object === 'invoice_payment')
  const hasSession = objects.some((o) => o.object === 'checkout.session')
  if (hasInvoice || hasSession) return true
  const charge = objects.find((o) => o.object === 'charge')
  const intent = objects.find((o) => o.object === 'payment_intent')
  if (charge && 'invoice' in charge) return charge.invoice === null
  if (intent && 'invoice' in intent) return intent.invoice === null
  if (intent) return charge !== undefined && oneOffPaymentIntent(intent)
  // A charge made without a payment intent (the Charges API) has no invoice.
  return charge !== undefined && (charge.payment_intent === null || charge.payment_intent === undefined)
}

/**
 * Groups payment events by the ids they share (a union of ids: an invoice names its payment intent, a
 * charge names it too...), so that one payment is one group whatever arrived.
 */
export function groupPayments(
  events: readonly Stripe.Event[],
  extraLinks: ReadonlyMap<string, string>,
): PaymentGroup[] {
  const parent = new Map<string, string>()
  const find = (id: string): string => {
    let root = id
    while (parent.get(root) !== undefined && parent.get(root) !== root) root = parent.get(root) ?? root
    parent.set(id, root)
    return root
  }
  const union = (a: string, b: string): void => {
    const [ra, rb] = [find(a), find(b)]
    if (ra !== rb) parent.set(rb, ra)
  }
  const idsByEvent = events.map((event) => {
    const ids = idsOf(event)
    for (const id of ids) {
      if (!parent.has(id)) parent.set(id, id)
      const linked = extraLinks.get(id)
      if (linked) {
        if (!parent.has(linked)) parent.set(linked, linked)
        union(id, linked)
      }
    }
    for (const id of ids.slice(1)) union(ids[0] ?? id, id)
    return ids
  })
  const groups = new Map<string, PaymentGroup>()
  events.forEach((event, i) => {
    const ids = idsByEvent[i] ?? []
    const first = ids[0]
    if (!first) return
    const root = find(first)
    const group = groups.get(root) ?? { ids: new Set<string>(), events: [] }
    for (const id of ids) group.ids.add(id)
    group.events.push(event)
    groups.set(root, group)
  })
  for (const group of groups.values()) {
    for (const [id, linked] of extraLinks) if (group.ids.has(id)) group.ids.add(linked)
  }
  return [...groups.values()]
}

/** The key a sale is known by: its payment intent, else its charge, else its invoice or session. */
export function saleKey(group: PaymentGroup): string {
  const ids = [...group.ids].sort()
  return (
    ids.find((id) => id.startsWith('pi_')) ??
    ids.find((id) => id.startsWith('ch_') || id.startsWith('py_')) ??
    ids.find((id) => id.startsWith('in_')) ??
    ids[0] ??
    'unknown'
  )
}
