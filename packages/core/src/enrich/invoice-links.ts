import type Stripe from 'stripe'
import { idOf, invoicePaymentIntentId, type Json, num, obj, str } from './fields.js'
import type { StripeLookups } from './lookups.js'

/**
 * Since 2025-03-31 an invoice no longer names the payment intent that paid it, and events never carry
 * its `payments`. An `invoice_payment.paid` event links them; without one, one read does.
 */
export async function invoiceLinks(
  events: readonly Stripe.Event[],
  lookups: StripeLookups,
): Promise<Map<string, string>> {
  const links = new Map<string, string>()
  const linkedByEvent = new Set(
    events.filter((e) => e.type === 'invoice_payment.paid').map((e) => idOf(obj(e.data.object)?.invoice)),
  )
  const invoices = events.map((e) => obj(e.data.object)).filter((o): o is Json => o?.object === 'invoice')
  for (const invoice of invoices) {
    const id = str(invoice.id)
    if (!id || linkedByEvent.has(id) || invoicePaymentIntentId(invoice) || links.has(id)) continue
    if ((num(invoice.amount_paid) ?? 0) <= 0 || 'payment_intent' in invoice) continue
    const found = await lookups.invoicePaymentIntent(id)
    if (found.ok && found.value) links.set(id, found.value)
  }
  return links
}
