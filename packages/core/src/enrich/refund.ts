import type Stripe from 'stripe'
import { baseFields } from './base-fields.js'
import { type EnrichContext, objectOf, type Unavailable } from './context.js'
import { resolveCustomer } from './customer.js'
import type { RefundEvent } from './domain-events.js'
import { idOf, items, num, obj, str } from './fields.js'

/**
 * A refund, from `charge.refunded`: Stripe sends it for every refund, full or partial. The refund's
 * amount is what `amount_refunded` grew by (`previous_attributes` says from what); the reason comes
 * from the refund itself, when the charge lists it or a `refund.*` event of the same poll carries it.
 */
export async function buildRefund(
  event: Stripe.Event,
  siblings: readonly Stripe.Event[],
  context: EnrichContext,
): Promise<RefundEvent | undefined> {
  const charge = objectOf(event)
  const chargeId = str(charge.id)
  const currency = str(charge.currency)
  const refundedNow = num(charge.amount_refunded)
  if (!chargeId || !currency || refundedNow === undefined) return undefined
  const before = num(obj(event.data.previous_attributes)?.amount_refunded)
  const listed = items(charge.refunds)
  const amount = before !== undefined ? refundedNow - before : (num(listed[0]?.amount) ?? refundedNow)
  if (amount <= 0) return undefined
  const refund =
    siblings
      .map(objectOf)
      .find((o) => o.object === 'refund' && idOf(o.charge) === chargeId && num(o.amount) === amount) ??
    listed[0]
  const unavailable: Unavailable = {}
  const customer = await resolveCustomer(idOf(charge.customer), [charge], context, unavailable)
  // A charge captured for less than was authorised counts the released rest in `amount_refunded` too.
  const authorised = num(charge.amount)
  const captured = num(charge.amount_captured)
  const chargeAmount = captured !== undefined && captured > 0 ? captured : authorised
  const released = authorised !== undefined && chargeAmount !== undefined ? authorised - chargeAmount : 0
  const reason = str(refund?.reason)
  return {
    ...baseFields(
      'refund',
      `${chargeId}:${refundedNow}`,
      [event],
      context,
      `payments/${idOf(charge.payment_intent) ?? chargeId}`,
    ),
    unavailable,
    amount: context.money(amount, currency),
    full: charge.refunded === true || (chargeAmount !== undefined && refundedNow - released >= chargeAmount),
    ...(chargeAmount !== undefined ? { chargeAmount: context.money(chargeAmount, currency) } : {}),
    ...(customer ? { customer } : {}),
    chargeId,
    ...(reason ? { reason } : {}),
  }
}
