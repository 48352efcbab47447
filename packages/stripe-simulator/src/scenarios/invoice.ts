import type Stripe from 'stripe'
import { invoiceFixture } from '../fixtures/invoice.js'
import { invoicePaymentFixture } from '../fixtures/invoice-payment.js'
import type { Wire } from '../wire.js'
import type { Scene } from './context.js'

type Invoice = Wire<Stripe.Invoice>
type Line = Wire<Stripe.InvoiceLineItem>

/** One line of an invoice to build. */
export interface LineSpec {
  readonly price: Wire<Stripe.Price>
  readonly quantity: number
  readonly amount: number
  readonly description: string
  readonly period: { readonly start: number; readonly end: number }
  /** A subscription's item line, or a one-off invoice item line. */
  readonly source:
    | { readonly subscription: string; readonly subscriptionItem: string }
    | { readonly invoiceItem: string }
}

/** An invoice to build. */
export interface InvoiceSpec {
  readonly customer: Wire<Stripe.Customer>
  readonly currency: string
  readonly lines: readonly LineSpec[]
  readonly billingReason: Stripe.Invoice.BillingReason
  readonly subscription?: string
  readonly periodStart: number
  readonly periodEnd: number
  /** When the invoice is created (and, a moment later, finalized). */
  readonly at: number
}

const TEMPLATE_LINE = invoiceFixture.lines.data[0] as Line

/**
 * A finalized (open) invoice in the current shape, with its number taken from the customer's
 * `invoice_prefix` and `next_invoice_sequence` (the caller stores the customer's next sequence).
 */
export function buildInvoice(scene: Scene, spec: InvoiceSpec): Invoice {
  const id = scene.id('in')
  const total = spec.lines.reduce((sum, line) => sum + line.amount, 0)
  const sequence = spec.customer.next_invoice_sequence ?? 1
  const token = `${scene.mode}_${scene.token(120)}`
  const customer = spec.customer
  return {
    ...structuredClone(invoiceFixture),
    id,
    account_country: scene.account.country,
    account_name: scene.account.businessName,
    amount_due: total,
    amount_paid: 0,
    amount_remaining: total,
    attempt_count: 0,
    attempted: false,
    auto_advance: true,
    billing_reason: spec.billingReason,
    created: spec.at,
    currency: spec.currency,
    customer: customer.id,
    customer_address: customer.address ?? null,
    customer_email: customer.email,
    customer_name: customer.name ?? null,
    customer_phone: customer.phone ?? null,
    due_date: null,
    effective_at: spec.at,
    ending_balance: 0,
    hosted_invoice_url: `https://invoice.stripe.com/i/${scene.account.id}/${token}?s=ap`,
    invoice_pdf: `https://pay.stripe.com/invoice/${scene.account.id}/${token}/pdf?s=ap`,
    lines: {
      object: 'list',
      data: spec.lines.map((line) => buildLine(scene, id, spec.currency, line)),
      has_more: false,
      url: `/v1/invoices/${id}/lines`,
    },
    livemode: scene.livemode,
    next_payment_attempt: spec.at,
    number: `${customer.invoice_prefix ?? 'INV'}-${String(sequence).padStart(4, '0')}`,
    parent:
      spec.subscription === undefined
        ? null
        : {
            quote_details: null,
            subscription_details: { metadata: {}, subscription: spec.subscription },
            type: 'subscription_details',
          },
    period_end: spec.periodEnd,
    period_start: spec.periodStart,
    rendering: null,
    status: 'open',
    status_transitions: {
      finalized_at: spec.at,
      marked_uncollectible_at: null,
      paid_at: null,
      voided_at: null,
    },
    subtotal: total,
    subtotal_excluding_tax: total,
    total,
    total_excluding_tax: total,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: spec.at,
  }
}

function buildLine(scene: Scene, invoice: string, currency: string, spec: LineSpec): Line {
  const subscription = 'subscription' in spec.source ? spec.source.subscription : null
  return {
    ...structuredClone(TEMPLATE_LINE),
    id: scene.id('il'),
    amount: spec.amount,
    currency,
    description: spec.description,
    invoice,
    livemode: scene.livemode,
    parent:
      'subscription' in spec.source
        ? {
            invoice_item_details: null,
            subscription_item_details: {
              invoice_item: null,
              proration: false,
              proration_details: { credited_items: null },
              subscription: spec.source.subscription,
              subscription_item: spec.source.subscriptionItem,
            },
            type: 'subscription_item_details',
          }
        : {
            invoice_item_details: {
              invoice_item: spec.source.invoiceItem,
              proration: false,
              proration_details: { credited_items: null },
              subscription: null,
            },
            subscription_item_details: null,
            type: 'invoice_item_details',
          },
    period: { start: spec.period.start, end: spec.period.end },
    pretax_credit_amounts: [],
    pricing: {
      price_details: {
        price: spec.price.id,
        product: typeof spec.price.product === 'string' ? spec.price.product : spec.price.product.id,
      },
      type: 'price_details',
      unit_amount_decimal: spec.price.unit_amount_decimal,
    },
    quantity: spec.quantity,
    subscription,
    subtotal: spec.amount,
    taxes: [],
  }
}

/** The invoice as `invoice.created` shows it: a draft, without number or URLs. */
export function invoiceDraft(invoice: Invoice): Invoice {
  return {
    ...invoice,
    effective_at: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    next_payment_attempt: null,
    number: null,
    status: 'draft',
    status_transitions: { ...invoice.status_transitions, finalized_at: null },
    webhooks_delivered_at: null,
  }
}

/** The invoice once paid (after `attempts` payment attempts; none for a $0 invoice). */
export function invoicePaid(invoice: Invoice, at: number, attempts: number): Invoice {
  return {
    ...invoice,
    amount_paid: invoice.amount_due,
    amount_remaining: 0,
    attempt_count: attempts,
    attempted: attempts > 0 || invoice.attempted,
    auto_advance: false,
    next_payment_attempt: null,
    status: 'paid',
    status_transitions: { ...invoice.status_transitions, paid_at: at },
  }
}

/** The invoice after a declined attempt: still open, retried by Smart Retries at `nextAttempt`. */
export function invoiceDeclined(invoice: Invoice, attempts: number, nextAttempt: number): Invoice {
  return { ...invoice, attempt_count: attempts, attempted: true, next_payment_attempt: nextAttempt }
}

/** The invoice's default payment (2025-03-31.basil): open until the payment intent succeeds. */
export function buildInvoicePayment(
  scene: Scene,
  invoice: Invoice,
  paymentIntent: string,
  at: number,
): Wire<Stripe.InvoicePayment> {
  return {
    ...structuredClone(invoicePaymentFixture),
    id: scene.id('inpay'),
    amount_paid: null,
    amount_requested: invoice.amount_due,
    created: at,
    currency: invoice.currency,
    invoice: invoice.id,
    is_default: true,
    livemode: scene.livemode,
    payment: { type: 'payment_intent', payment_intent: paymentIntent },
    status: 'open',
    status_transitions: { canceled_at: null, paid_at: null },
  }
}

/** The invoice payment once its payment intent succeeded. */
export function invoicePaymentPaid(
  payment: Wire<Stripe.InvoicePayment>,
  at: number,
): Wire<Stripe.InvoicePayment> {
  return {
    ...payment,
    amount_paid: payment.amount_requested,
    status: 'paid',
    status_transitions: { ...payment.status_transitions, paid_at: at },
  }
}
