import type Stripe from 'stripe'
import type { Wire } from '../wire.js'
import type { CardInput } from './cards.js'
import { buildCheckoutSession } from './checkout.js'
import { EventBatch, idOfRef, required, type Scene } from './context.js'
import { buildInvoice, type InvoiceSpec, invoiceDraft, invoicePaid, type LineSpec } from './invoice.js'
import { payInvoice } from './invoice-attempt.js'
import { payerOf } from './payment.js'
import { buildSubscription, itemOf, lineDescription, periodEnd } from './subscription-object.js'

/** Options every subscription scenario takes. */
export interface SubscriptionCallOptions {
  /**
   * Unix seconds of the first event. @default the simulator clock; calls that are due at a set moment
   * (a renewal at the period's end, a trial warning) throw when that moment has not come yet
   */
  at?: number
  /** API version of the events. @default the business's */
  apiVersion?: string
  /** Shuffle the events within each second. @default the business's */
  shuffle?: boolean
}

/** Options of `Business.subscribe`. */
export interface SubscribeInput extends SubscriptionCallOptions {
  /** A customer made by `Business.customer` (object or id). */
  customer: Wire<Stripe.Customer> | string
  /** A recurring price made by `Business.product` (object or id). */
  price: Wire<Stripe.Price> | string
  /** @default 1 */
  quantity?: number
  /** A free trial: the first invoice is $0 and nothing is charged until `renew`. */
  trialDays?: number
  /** The card charged. */
  card?: CardInput
  /** The first charge's balance transaction arrives in a later `charge.updated`. @default false */
  balanceTransactionLater?: boolean
  /**
   * Subscribed through a Checkout Session (subscription mode): `checkout.session.completed` comes
   * with the first invoice's events. @default false
   */
  checkout?: boolean
}

/** What a subscription scenario made or changed (final states, as stored). */
export interface SubscriptionResult {
  /** The subscription after the call. */
  subscription: Wire<Stripe.Subscription>
  /** The invoice of the period (paid). */
  invoice: Wire<Stripe.Invoice>
  /** The completed Checkout Session, for `subscribe({ checkout: true })`. */
  checkoutSession?: Wire<Stripe.Checkout.Session>
  /** The succeeded payment intent (none for a $0 trial invoice). */
  paymentIntent?: Wire<Stripe.PaymentIntent>
  /** The succeeded charge (none for a $0 trial invoice). */
  charge?: Wire<Stripe.Charge>
  /** The charge's balance transaction (none for a $0 trial invoice). */
  balanceTransaction?: Wire<Stripe.BalanceTransaction>
  /** The events, oldest first. */
  events: Stripe.Event[]
}

/** A customer, a price and the price's product, as stored. */
export interface Catalog {
  readonly customer: Wire<Stripe.Customer>
  readonly price: Wire<Stripe.Price>
  readonly product: Wire<Stripe.Product>
}

/** Looks up the stored customer, price and product of a subscription call. */
export function catalogOf(scene: Scene, customerRef: string, priceRef: string): Catalog {
  const customer = required(scene.store.get('customer', customerRef), 'customer', customerRef)
  const price = required(scene.store.get('price', priceRef), 'price', priceRef)
  const product = required(
    scene.store.get('product', String(price.product)),
    'product',
    String(price.product),
  )
  return { customer, price, product }
}

/** Builds an invoice and moves the customer's invoice sequence on. */
export function newInvoice(scene: Scene, spec: InvoiceSpec): Wire<Stripe.Invoice> {
  const invoice = buildInvoice(scene, spec)
  scene.store.update({
    ...spec.customer,
    next_invoice_sequence: (spec.customer.next_invoice_sequence ?? 1) + 1,
  })
  return invoice
}

/** A new subscription: its first invoice, paid at once (or $0 with a trial). */
export function subscribe(scene: Scene, input: SubscribeInput): SubscriptionResult {
  const at = input.at ?? scene.now()
  const { customer, price, product } = catalogOf(scene, idOfRef(input.customer), idOfRef(input.price))
  if (price.recurring === null) {
    throw new TypeError(
      `[stripe-simulator] Price ${price.id} is one-time; subscriptions need a \`recurring\` price.`,
    )
  }
  const quantity = input.quantity ?? 1
  const trialEnd = input.trialDays === undefined ? undefined : at + Math.round(input.trialDays * 86_400)
  const created = buildSubscription(scene, {
    customer: customer.id,
    price,
    quantity,
    at,
    paymentMethod: null,
    ...(trialEnd === undefined ? {} : { trialEnd }),
  })
  const end = trialEnd ?? periodEnd(price, at)
  const line: LineSpec = {
    price,
    quantity,
    amount: trialEnd === undefined ? (price.unit_amount ?? 0) * quantity : 0,
    description:
      trialEnd === undefined ? lineDescription(product, price, quantity) : `Trial period for ${product.name}`,
    period: { start: at, end },
    source: { subscription: created.id, subscriptionItem: itemOf(created).id },
  }
  const open = newInvoice(scene, {
    customer,
    currency: price.currency,
    lines: [line],
    billingReason: 'subscription_create',
    subscription: created.id,
    periodStart: at,
    periodEnd: at,
    at,
  })
  const batch = new EventBatch(at)
  let subscription: Wire<Stripe.Subscription> = { ...created, latest_invoice: open.id }
  batch.add('customer.subscription.created', subscription)
  batch.add('invoice.created', invoiceDraft(open))
  batch.add('invoice.finalized', open)
  const session =
    input.checkout === true
      ? checkoutFor(scene, subscription, open, { customer, price, product }, quantity)
      : undefined
  const withSession = session === undefined ? {} : { checkoutSession: session }
  if (open.amount_due === 0) {
    const invoice = invoicePaid(open, at, 0)
    batch.add('invoice.paid', invoice)
    batch.add('invoice.payment_succeeded', invoice)
    if (session !== undefined) batch.add('checkout.session.completed', session)
    scene.save(invoice)
    scene.save(subscription)
    return { subscription, invoice, ...withSession, events: scene.emit(batch, input) }
  }
  const paid = payInvoice(scene, batch, {
    invoice: open,
    customer,
    card: input.card ?? {},
    at,
    offset: 0,
    balanceTransactionLater: input.balanceTransactionLater === true,
  })
  if (session !== undefined) batch.add('checkout.session.completed', session, { offset: 1 })
  subscription = { ...subscription, default_payment_method: paid.charge.payment_method as string | null }
  scene.save(subscription)
  return { subscription, ...paid, ...withSession, events: scene.emit(batch, input) }
}

/** The Checkout Session (subscription mode) a subscription was bought through, stored. */
function checkoutFor(
  scene: Scene,
  subscription: Wire<Stripe.Subscription>,
  invoice: Wire<Stripe.Invoice>,
  catalog: Catalog,
  quantity: number,
): Wire<Stripe.Checkout.Session> {
  const { customer, price, product } = catalog
  const session = buildCheckoutSession(scene, {
    lines: [{ price, product, quantity, amount: invoice.amount_due }],
    currency: invoice.currency,
    amount: invoice.amount_due,
    payer: payerOf(customer),
    paid: { subscription: subscription.id, invoice: invoice.id },
    at: invoice.created + 1,
  })
  return scene.store.add(session)
}
