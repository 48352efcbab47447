import type Stripe from 'stripe'
import { checkoutSessionFixture } from '../fixtures/checkout-session.js'
import { lineItemFixture } from '../fixtures/line-item.js'
import type { Wire } from '../wire.js'
import type { Scene } from './context.js'
import type { Payer } from './payment.js'

/** One priced line of a sale. */
export interface PricedLine {
  readonly price: Wire<Stripe.Price>
  readonly product: Wire<Stripe.Product>
  readonly quantity: number
  readonly amount: number
}

/** What a completed Checkout Session is made of. */
export interface SessionSpec {
  readonly lines: readonly PricedLine[]
  readonly currency: string
  readonly amount: number
  readonly payer: Payer
  /** Payment mode: the payment intent. Subscription mode: the subscription and its first invoice. */
  readonly paid:
    | { readonly paymentIntent: string }
    | { readonly subscription: string; readonly invoice: string }
  /** When the customer paid; the session was opened a few minutes before. */
  readonly at: number
}

/**
 * A complete, paid Checkout Session, in payment or subscription mode. Its line items are kept in
 * `line_items`, which the API shows only when asked (`expand[]=line_items`, or
 * `GET /v1/checkout/sessions/:id/line_items`).
 */
export function buildCheckoutSession(scene: Scene, spec: SessionSpec): Wire<Stripe.Checkout.Session> {
  const id = `cs_${scene.mode}_a1${scene.token(56)}`
  const created = spec.at - 180
  const items = spec.lines.map(
    (line): Wire<Stripe.LineItem> => ({
      ...structuredClone(lineItemFixture),
      id: scene.id('li'),
      amount_subtotal: line.amount,
      amount_total: line.amount,
      currency: spec.currency,
      description: line.product.name,
      price: structuredClone(line.price),
      quantity: line.quantity,
    }),
  )
  return {
    ...structuredClone(checkoutSessionFixture),
    id,
    amount_subtotal: spec.amount,
    amount_total: spec.amount,
    created,
    currency: spec.currency,
    customer: spec.payer.customer,
    customer_creation: spec.payer.customer === null ? 'if_required' : null,
    customer_details: {
      address: {
        city: null,
        country: spec.payer.country,
        line1: null,
        line2: null,
        postal_code: null,
        state: null,
      },
      business_name: null,
      email: spec.payer.email,
      individual_name: null,
      name: spec.payer.name,
      phone: spec.payer.phone,
      tax_exempt: 'none',
      tax_ids: [],
    },
    expires_at: created + 86_400,
    invoice_creation: {
      enabled: false,
      invoice_data: {
        account_tax_ids: null,
        custom_fields: null,
        description: null,
        footer: null,
        issuer: null,
        metadata: {},
        rendering_options: null,
      },
    },
    line_items: {
      object: 'list',
      data: items,
      has_more: false,
      url: `/v1/checkout/sessions/${id}/line_items`,
    },
    livemode: scene.livemode,
    managed_payments: { enabled: false },
    ...('paymentIntent' in spec.paid
      ? { mode: 'payment' as const, payment_intent: spec.paid.paymentIntent }
      : {
          mode: 'subscription' as const,
          payment_intent: null,
          subscription: spec.paid.subscription,
          invoice: spec.paid.invoice,
        }),
    payment_status: 'paid',
    status: 'complete',
    url: null,
  }
}
