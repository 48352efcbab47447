import type Stripe from 'stripe'
import { baseFields } from './base-fields.js'
import { type EnrichContext, objectOf, type Unavailable } from './context.js'
import { resolveCustomer } from './customer.js'
import type { PaymentFailedEvent } from './domain-events.js'
import {
  at,
  idOf,
  invoicePaymentIntentId,
  invoiceSubscriptionId,
  items,
  type Json,
  num,
  str,
} from './fields.js'
import { resolveSubscription } from './subscription-info.js'

/** The charge a failure is about: one failed attempt is one notification, whichever event tells of it. */
export function failedAttemptKey(event: Stripe.Event): string | undefined {
  const object = objectOf(event)
  if (event.type === 'charge.failed') return str(object.id)
  if (event.type === 'payment_intent.payment_failed') {
    return (
      idOf(at(object, 'last_payment_error', 'charge')) ??
      idOf(object.latest_charge) ??
      str(items(object.charges)[0]?.id) ??
      `${str(object.id)}:${event.id}`
    )
  }
  return undefined
}

/** The failed invoice of the same payment among the poll's events, for a failed renewal. */
function invoiceFor(intent: Json | undefined, charge: Json | undefined, siblings: readonly Stripe.Event[]) {
  const invoices = siblings.filter((e) => e.type === 'invoice.payment_failed').map(objectOf)
  const piId = str(intent?.id) ?? idOf(charge?.payment_intent)
  return (
    invoices.find((invoice) => piId !== undefined && invoicePaymentIntentId(invoice) === piId) ??
    // Newer API versions no longer link the two: the same customer, amount and currency in one poll do.
    invoices.find(
      (invoice) =>
        idOf(invoice.customer) === (idOf(intent?.customer) ?? idOf(charge?.customer)) &&
        num(invoice.amount_due) === (num(intent?.amount) ?? num(charge?.amount)) &&
        str(invoice.currency) === (str(intent?.currency) ?? str(charge?.currency)),
    )
  )
}

/** A failed payment, from `payment_intent.payment_failed` or `charge.failed` (one per attempt). */
export async function buildPaymentFailed(
  event: Stripe.Event,
  siblings: readonly Stripe.Event[],
  context: EnrichContext,
): Promise<PaymentFailedEvent | undefined> {
  const key = failedAttemptKey(event)
  const object = objectOf(event)
  const intent = object.object === 'payment_intent' ? object : undefined
  const charge =
    object.object === 'charge'
      ? object
      : siblings.map(objectOf).find((o) => o.object === 'charge' && str(o.id) === key)
  const amount = num(intent?.amount) ?? num(charge?.amount)
  const currency = str(intent?.currency) ?? str(charge?.currency)
  if (!key || amount === undefined || !currency) return undefined
  const error = intent?.last_payment_error
  const declineCode =
    str(at(error, 'decline_code')) ??
    str(at(error, 'code')) ??
    str(charge?.failure_code) ??
    str(at(charge, 'outcome', 'reason'))
  const reason =
    str(at(error, 'message')) ?? str(charge?.failure_message) ?? str(at(charge, 'outcome', 'seller_message'))
  const invoice = invoiceFor(intent, charge, siblings)
  const unavailable: Unavailable = {}
  const [customer, subscription] = await Promise.all([
    resolveCustomer(
      idOf(intent?.customer) ?? idOf(charge?.customer),
      [charge, invoice],
      context,
      unavailable,
    ),
    resolveSubscription(invoice ? invoiceSubscriptionId(invoice) : undefined, context, unavailable),
  ])
  const paymentIntentId = str(intent?.id) ?? idOf(charge?.payment_intent)
  const invoiceId = str(invoice?.id)
  return {
    ...baseFields('payment.failed', key, [event], context, `payments/${paymentIntentId ?? key}`),
    unavailable,
    amount: context.money(amount, currency),
    ...(declineCode ? { declineCode } : {}),
    ...(reason ? { reason } : {}),
    ...(customer ? { customer } : {}),
    ...(subscription ? { subscription } : {}),
    ...(paymentIntentId ? { paymentIntentId } : {}),
    ...(invoiceId ? { invoiceId } : {}),
  }
}
