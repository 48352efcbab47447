import type Stripe from 'stripe'
import { baseFields } from './base-fields.js'
import { type EnrichContext, objectOf } from './context.js'
import type { DisputeClosedEvent, DisputeCreatedEvent } from './domain-events.js'
import { at, idOf, noteDate, num, str } from './fields.js'

/** A dispute opened (`charge.dispute.created`) or decided (`charge.dispute.closed`). */
export function buildDispute(
  event: Stripe.Event,
  context: EnrichContext,
): DisputeCreatedEvent | DisputeClosedEvent | undefined {
  const dispute = objectOf(event)
  const id = str(dispute.id)
  const amount = num(dispute.amount)
  const currency = str(dispute.currency)
  if (!id || amount === undefined || !currency) return undefined
  const chargeId = idOf(dispute.charge)
  const common = {
    unavailable: {},
    amount: context.money(amount, currency),
    ...(chargeId ? { chargeId } : {}),
  }
  if (event.type === 'charge.dispute.closed') {
    return {
      ...baseFields('dispute.closed', id, [event], context, `disputes/${id}`),
      ...common,
      outcome: str(dispute.status) ?? 'closed',
    }
  }
  const unavailable: Record<string, string> = {}
  const due = noteDate(at(dispute, 'evidence_details', 'due_by'), 'evidenceDueBy', unavailable)
  return {
    ...baseFields('dispute.created', id, [event], context, `disputes/${id}`),
    ...common,
    unavailable,
    reason: str(dispute.reason) ?? 'general',
    ...(due ? { evidenceDueBy: due } : {}),
  }
}
