import type Stripe from 'stripe'
import { baseFields } from './base-fields.js'
import { type EnrichContext, objectOf } from './context.js'
import type { PayoutEvent } from './domain-events.js'
import { noteDate, num, str } from './fields.js'

/** A payout paid (`payout.paid`) or failed (`payout.failed`): the event's payout says it all. */
export function buildPayout(event: Stripe.Event, context: EnrichContext): PayoutEvent | undefined {
  const payout = objectOf(event)
  const id = str(payout.id)
  const amount = num(payout.amount)
  const currency = str(payout.currency)
  if (!id || amount === undefined || !currency) return undefined
  const type = event.type === 'payout.failed' ? 'payout.failed' : 'payout.paid'
  const unavailable: Record<string, string> = {}
  const arrival = noteDate(payout.arrival_date, 'arrivalDate', unavailable)
  const failureCode = str(payout.failure_code)
  const failureMessage = str(payout.failure_message)
  return {
    ...baseFields(type, id, [event], context, `payouts/${id}`),
    unavailable,
    amount: context.money(amount, currency),
    ...(arrival ? { arrivalDate: arrival } : {}),
    payoutId: id,
    ...(failureCode ? { failureCode } : {}),
    ...(failureMessage ? { failureMessage } : {}),
  }
}
