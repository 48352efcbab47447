import { idOf, type Json, listOf, type RenderSource } from './versions.js'

/** The invoice a payment intent paid (or tried to pay), from the invoice payments in the store. */
function invoiceOf(paymentIntentId: string | null, source: RenderSource): string | null {
  if (paymentIntentId === null) return null
  const payment = source
    .list('invoice_payment')
    .find((p) => idOf((p.payment as Json | undefined)?.payment_intent) === paymentIntentId)
  return payment === undefined ? null : idOf(payment.invoice)
}

/** Charge before 2025-03-31.basil: `invoice` names the invoice it paid. */
export function chargeInvoice(charge: Json, source: RenderSource): void {
  charge.invoice = invoiceOf(idOf(charge.payment_intent), source)
}

/** PaymentIntent before 2025-03-31.basil: `invoice` names the invoice it paid. */
export function paymentIntentInvoice(paymentIntent: Json, source: RenderSource): void {
  paymentIntent.invoice = invoiceOf(idOf(paymentIntent.id), source)
}

/**
 * PaymentIntent before 2022-11-15: a `charges` list (every charge up to the latest, newest first)
 * instead of `latest_charge`.
 */
export function paymentIntentCharges(paymentIntent: Json, source: RenderSource): void {
  const latest = idOf(paymentIntent.latest_charge)
  const latestCreated = latest === null ? undefined : source.get('charge', latest)?.created
  const charges =
    latestCreated === undefined
      ? []
      : source
          .list('charge')
          .filter(
            (charge) =>
              charge.payment_intent === paymentIntent.id && Number(charge.created) <= Number(latestCreated),
          )
          .map((charge) => structuredClone(charge))
  paymentIntent.charges = listOf(charges, `/v1/charges?payment_intent=${String(paymentIntent.id)}`)
  delete paymentIntent.latest_charge
}

/** Checkout Session before 2025-03-31.basil: `shipping_details` (null without shipping). */
export function sessionShippingDetails(session: Json): void {
  session.shipping_details = null
}
