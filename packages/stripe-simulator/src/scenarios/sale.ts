import type Stripe from 'stripe'
import type { Wire } from '../wire.js'
import type { CardInput } from './cards.js'
import { buildCheckoutSession, type PricedLine } from './checkout.js'
import { EventBatch, idOfRef, required, type Scene } from './context.js'
import {
  buildInvoice,
  buildInvoicePayment,
  invoiceDraft,
  invoicePaid,
  invoicePaymentPaid,
} from './invoice.js'
import { checkAmount } from './money.js'
import { buildPayment, guestPayer, type Payer, payerOf, paymentIntentCreated } from './payment.js'

/** One item of a sale: a price and a quantity. */
export interface SaleItem {
  /** A price made by `Business.product` (object or id). */
  price: Wire<Stripe.Price> | string
  /** @default 1 */
  quantity?: number
}

/** Billing details of a buyer who is not a Stripe customer. */
export interface Guest {
  /** The email entered at checkout. */
  email: string
  /** @default null */
  name?: string | null
  /** Two-letter country code of the billing address. @default the account's country */
  country?: string
}

/** Options of `Business.sale`. */
export interface SaleInput {
  /** A customer made by `Business.customer` (object or id). Without it the buyer is a guest. */
  customer?: Wire<Stripe.Customer> | string
  /** A guest buyer's billing details (ignored when `customer` is given). */
  guest?: Guest
  /** What is sold. With items and no `checkout`, the sale is a paid one-off invoice. */
  items?: SaleItem[]
  /** The amount of a sale without items (smallest currency unit). */
  amount?: number
  /** Lower-case ISO code. @default the items' currency, else the account's default currency */
  currency?: string
  /** Paid through a Checkout Session (payment mode) instead of an invoice. @default false */
  checkout?: boolean
  /** The payment's description (sales without invoice or checkout). @default null */
  description?: string
  /** The card used. */
  card?: CardInput
  /**
   * The charge's balance transaction arrives late: `charge.succeeded` shows `balance_transaction: null`
   * and a later `charge.updated` carries it, as Stripe sometimes does. @default false
   */
  balanceTransactionLater?: boolean
  /** Unix seconds of the first event; the payment's events span this second and the next one or two. */
  at?: number
  /** API version of the events. @default the business's */
  apiVersion?: string
  /** Shuffle the events within each second. @default the business's */
  shuffle?: boolean
}

/** What `Business.sale` made (final states, as stored). */
export interface SaleResult {
  /** The succeeded payment intent. */
  paymentIntent: Wire<Stripe.PaymentIntent>
  /** The succeeded charge (`balance_transaction` set). */
  charge: Wire<Stripe.Charge>
  /** The charge's balance transaction: `fee`, `net`, `fee_details`. */
  balanceTransaction: Wire<Stripe.BalanceTransaction>
  /** The paid invoice, for a sale with items and no checkout. */
  invoice?: Wire<Stripe.Invoice>
  /** The completed session, for `checkout: true`. */
  checkoutSession?: Wire<Stripe.Checkout.Session>
  /** The events, oldest first. */
  events: Stripe.Event[]
}

/** What a sale sells, to whom, for how much, read and checked from its input. */
interface Order {
  readonly customer: Wire<Stripe.Customer> | undefined
  readonly lines: readonly PricedLine[]
  readonly currency: string
  readonly amount: number
  readonly checkout: boolean
  /** A sale of items without Checkout is a one-off invoice. */
  readonly invoiced: boolean
  readonly payer: Payer
}

/** A one-off card payment, with an invoice or a Checkout Session when it sells items. */
export function sale(scene: Scene, input: SaleInput): SaleResult {
  const at = scene.moment(input.at)
  const order = readOrder(scene, input)
  const { currency, amount, payer } = order
  const description = order.invoiced
    ? 'Payment for Invoice'
    : order.checkout
      ? null
      : (input.description ?? null)
  const payment = buildPayment(scene, { amount, currency, payer, card: input.card ?? {}, description, at })
  const { paymentIntent, charge, balanceTransaction } = payment
  const batch = new EventBatch(at)
  const later = input.balanceTransactionLater === true
  const chargeAtSuccess = later ? { ...charge, balance_transaction: null } : charge
  const paymentEvents = (): void => {
    batch.add('payment_intent.created', paymentIntentCreated(paymentIntent))
    batch.add('charge.succeeded', chargeAtSuccess, { offset: 1 })
    batch.add('payment_intent.succeeded', paymentIntent, { offset: 1 })
  }
  let invoice: Wire<Stripe.Invoice> | undefined
  let session: Wire<Stripe.Checkout.Session> | undefined
  if (order.invoiced && order.customer !== undefined) {
    invoice = invoiceSale(
      scene,
      { ...order, customer: order.customer },
      paymentIntent.id,
      batch,
      paymentEvents,
    )
  } else {
    paymentEvents()
    if (order.checkout) {
      const paid = { paymentIntent: paymentIntent.id }
      session = buildCheckoutSession(scene, { lines: order.lines, currency, amount, payer, paid, at: at + 1 })
      scene.store.add(session)
      batch.add('checkout.session.completed', session, { offset: 1 })
    }
  }
  if (later) batch.add('charge.updated', charge, { offset: 2, before: chargeAtSuccess })
  scene.store.add(paymentIntent)
  scene.store.add(charge)
  scene.store.add(balanceTransaction)
  const events = scene.emit(batch, input)
  return {
    paymentIntent,
    charge,
    balanceTransaction,
    ...(invoice === undefined ? {} : { invoice }),
    ...(session === undefined ? {} : { checkoutSession: session }),
    events,
  }
}

/** Reads what is sold (stored prices and products) and refuses sales Stripe could not make. */
function readOrder(scene: Scene, input: SaleInput): Order {
  const customer =
    input.customer === undefined
      ? undefined
      : required(scene.store.get('customer', idOfRef(input.customer)), 'customer', idOfRef(input.customer))
  const lines = (input.items ?? []).map((item): PricedLine => {
    const price = required(scene.store.get('price', idOfRef(item.price)), 'price', idOfRef(item.price))
    const product = required(
      scene.store.get('product', String(price.product)),
      'product',
      String(price.product),
    )
    const quantity = item.quantity ?? 1
    return { price, product, quantity, amount: (price.unit_amount ?? 0) * quantity }
  })
  const currency = saleCurrency(scene, input, lines)
  const amount = lines.length === 0 ? (input.amount ?? 0) : lines.reduce((sum, line) => sum + line.amount, 0)
  if (lines.length > 0 && input.amount !== undefined) {
    throw new TypeError('[stripe-simulator] A sale takes `items` or `amount`, not both.')
  }
  checkAmount(amount, currency, lines.length === 0 ? 'amount' : 'the items total')
  const checkout = input.checkout === true
  const invoiced = lines.length > 0 && !checkout
  if (invoiced && customer === undefined) {
    throw new TypeError(
      '[stripe-simulator] A sale with items and no checkout is an invoice, which needs a `customer` (or pass `checkout: true`).',
    )
  }
  if (checkout && lines.length === 0) {
    throw new TypeError('[stripe-simulator] A checkout sale needs `items` (Checkout sells line items).')
  }
  if (checkout && customer === undefined && input.guest === undefined) {
    throw new TypeError(
      '[stripe-simulator] A checkout sale needs a `customer` or a `guest` (Checkout collects the email).',
    )
  }
  const payer = customer === undefined ? guestPayer(scene, input.guest) : payerOf(customer)
  return { customer, lines, currency, amount, checkout, invoiced, payer }
}

/**
 * The paid one-off invoice of a sale and its invoice payment, stored, with the payment's events
 * (`paymentEvents`) between the invoice's: created and finalized before, paid after.
 */
function invoiceSale(
  scene: Scene,
  order: Order & { readonly customer: Wire<Stripe.Customer> },
  paymentIntent: string,
  batch: EventBatch,
  paymentEvents: () => void,
): Wire<Stripe.Invoice> {
  const { customer } = order
  const at = batch.start
  const open = buildInvoice(scene, {
    customer,
    currency: order.currency,
    billingReason: 'manual',
    periodStart: at,
    periodEnd: at,
    at,
    lines: order.lines.map((line) => ({
      price: line.price,
      quantity: line.quantity,
      amount: line.amount,
      description: line.product.name,
      period: { start: at, end: at },
      source: { invoiceItem: scene.id('ii') },
    })),
  })
  scene.store.update({ ...customer, next_invoice_sequence: (customer.next_invoice_sequence ?? 1) + 1 })
  const invoicePayment = buildInvoicePayment(scene, open, paymentIntent, at)
  const invoice = invoicePaid(open, at + 1, 1)
  const paidPayment = invoicePaymentPaid(invoicePayment, at + 1)
  scene.store.add(invoice)
  scene.store.add(paidPayment)
  batch.add('invoice.created', invoiceDraft(open))
  batch.add('invoice.finalized', open)
  paymentEvents()
  batch.add('invoice.paid', invoice, { offset: 1 })
  batch.add('invoice.payment_succeeded', invoice, { offset: 1 })
  batch.add('invoice_payment.paid', paidPayment, { offset: 1 })
  return invoice
}

function saleCurrency(scene: Scene, input: SaleInput, lines: readonly PricedLine[]): string {
  const currencies = new Set(lines.map((line) => line.price.currency))
  if (currencies.size > 1) {
    throw new TypeError(
      `[stripe-simulator] A sale's prices must share one currency, got ${[...currencies].join(', ')}.`,
    )
  }
  const fromItems = [...currencies][0]
  const wanted = input.currency?.toLowerCase()
  if (wanted !== undefined && fromItems !== undefined && wanted !== fromItems) {
    throw new TypeError(
      `[stripe-simulator] Expected \`currency\` '${wanted}' to match the prices' '${fromItems}'.`,
    )
  }
  return wanted ?? fromItems ?? scene.account.defaultCurrency
}
