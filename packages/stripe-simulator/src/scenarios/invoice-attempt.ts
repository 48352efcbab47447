import type Stripe from 'stripe'
import type { Wire } from '../wire.js'
import { type CardInput, DECLINES, type DeclineCode } from './cards.js'
import type { EventBatch, Scene } from './context.js'
import { buildInvoicePayment, invoiceDeclined, invoicePaid, invoicePaymentPaid } from './invoice.js'
import { buildFailedPayment, buildPayment, payerOf, paymentIntentCreated } from './payment.js'

/** One automatic payment attempt of an open invoice. */
export interface Attempt {
  readonly invoice: Wire<Stripe.Invoice>
  readonly customer: Wire<Stripe.Customer>
  readonly card: CardInput
  /** Time of the attempt's first event (the batch's start plus `offset`). */
  readonly at: number
  readonly offset: number
  readonly balanceTransactionLater: boolean
}

/** What a succeeded attempt stored. */
export interface PaidAttempt {
  readonly invoice: Wire<Stripe.Invoice>
  readonly paymentIntent: Wire<Stripe.PaymentIntent>
  readonly charge: Wire<Stripe.Charge>
  readonly balanceTransaction: Wire<Stripe.BalanceTransaction>
}

/** What a declined attempt stored. */
export interface DeclinedAttempt {
  readonly invoice: Wire<Stripe.Invoice>
  readonly paymentIntent: Wire<Stripe.PaymentIntent>
  readonly charge: Wire<Stripe.Charge>
}

/** Days Smart Retries waits before the next attempt (Stripe's schedule varies; the simulator uses 3). */
const RETRY_DAYS = 3

/** The invoice's payment intent and default payment: new ones on the first attempt, the same on retries. */
function paymentOf(scene: Scene, invoice: Wire<Stripe.Invoice>) {
  const existing = scene.store.list('invoice_payment').find((p) => p.invoice === invoice.id && p.is_default)
  const paymentIntentId = existing?.payment.payment_intent
  const paymentIntent =
    typeof paymentIntentId === 'string' ? scene.store.get('payment_intent', paymentIntentId) : undefined
  return { existing, paymentIntent }
}

function description(invoice: Wire<Stripe.Invoice>): string {
  if (invoice.billing_reason === 'subscription_create') return 'Subscription creation'
  return invoice.billing_reason === 'manual' ? 'Payment for Invoice' : 'Subscription update'
}

/** The invoice is paid: payment intent, charge, balance transaction, invoice payment, and their events. */
export function payInvoice(scene: Scene, batch: EventBatch, attempt: Attempt): PaidAttempt {
  const { invoice: open } = attempt
  const { existing, paymentIntent: retried } = paymentOf(scene, open)
  const payment = buildPayment(scene, {
    amount: open.amount_due,
    currency: open.currency,
    payer: payerOf(attempt.customer),
    card: attempt.card,
    description: description(open),
    at: attempt.at,
    ...(retried === undefined ? {} : { paymentIntent: retried }),
  })
  const invoicePayment = existing ?? buildInvoicePayment(scene, open, payment.paymentIntent.id, attempt.at)
  const invoice = invoicePaid(open, attempt.at + 1, open.attempt_count + 1)
  const paidPayment = invoicePaymentPaid(invoicePayment, attempt.at + 1)
  const { offset } = attempt
  if (retried === undefined)
    batch.add('payment_intent.created', paymentIntentCreated(payment.paymentIntent), { offset })
  const chargeAtSuccess = attempt.balanceTransactionLater
    ? { ...payment.charge, balance_transaction: null }
    : payment.charge
  batch.add('charge.succeeded', chargeAtSuccess, { offset: offset + 1 })
  batch.add('payment_intent.succeeded', payment.paymentIntent, { offset: offset + 1 })
  batch.add('invoice.paid', invoice, { offset: offset + 1 })
  batch.add('invoice.payment_succeeded', invoice, { offset: offset + 1 })
  batch.add('invoice_payment.paid', paidPayment, { offset: offset + 1 })
  if (attempt.balanceTransactionLater) {
    batch.add('charge.updated', payment.charge, { offset: offset + 2, before: chargeAtSuccess })
  }
  scene.save(invoice)
  scene.save(paidPayment)
  scene.save(payment.paymentIntent)
  scene.save(payment.charge)
  scene.save(payment.balanceTransaction)
  return { invoice, ...payment }
}

/** The card is declined: the invoice stays open (retried later), the payment intent needs a new method. */
export function declineInvoice(
  scene: Scene,
  batch: EventBatch,
  attempt: Attempt,
  declineCode: DeclineCode,
): DeclinedAttempt {
  const { invoice: open } = attempt
  const { existing, paymentIntent: retried } = paymentOf(scene, open)
  const failed = buildFailedPayment(
    scene,
    {
      amount: open.amount_due,
      currency: open.currency,
      payer: payerOf(attempt.customer),
      card: attempt.card,
      description: description(open),
      at: attempt.at,
      ...(retried === undefined ? {} : { paymentIntent: retried }),
    },
    DECLINES[declineCode],
  )
  const invoicePayment = existing ?? buildInvoicePayment(scene, open, failed.paymentIntent.id, attempt.at)
  const invoice = invoiceDeclined(open, open.attempt_count + 1, attempt.at + RETRY_DAYS * 86_400)
  const { offset } = attempt
  if (retried === undefined)
    batch.add('payment_intent.created', paymentIntentCreated(failed.paymentIntent), { offset })
  batch.add('charge.failed', failed.charge, { offset: offset + 1 })
  batch.add('payment_intent.payment_failed', failed.paymentIntent, { offset: offset + 1 })
  batch.add('invoice.payment_failed', invoice, { offset: offset + 1 })
  scene.save(invoice)
  scene.save(invoicePayment)
  scene.save(failed.paymentIntent)
  scene.save(failed.charge)
  return { invoice, ...failed }
}
