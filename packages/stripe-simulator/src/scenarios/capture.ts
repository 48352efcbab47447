import type Stripe from 'stripe'
import { refundFixture } from '../fixtures/refund.js'
import type { Wire } from '../wire.js'
import { EventBatch, idOfRef, required, type Scene } from './context.js'
import { checkAmount } from './money.js'
import {
  baseCharge,
  basePaymentIntent,
  chargeTransaction,
  guestPayer,
  type Payer,
  payerOf,
  paymentIntentCreated,
} from './payment.js'
import type { Guest, SaleInput } from './sale.js'

/** Options of `Business.authorize`: a card payment placed on hold, captured later. */
export type AuthorizeInput = Omit<SaleInput, 'items' | 'checkout' | 'balanceTransactionLater' | 'amount'> & {
  /** The amount held on the card (smallest currency unit). */
  amount: number
}

/** What `Business.authorize` made. */
export interface AuthorizationResult {
  /** The payment intent, `requires_capture`, `capture_method: 'manual'`, `amount_capturable` set. */
  paymentIntent: Wire<Stripe.PaymentIntent>
  /** The authorized charge: `captured: false`, `amount_captured: 0`, no balance transaction. */
  charge: Wire<Stripe.Charge>
  /** The events, oldest first. */
  events: Stripe.Event[]
}

/** Options of `Business.capture`. */
export interface CaptureInput {
  /** The amount to capture; the rest of the hold is released. @default the whole `amount_capturable` */
  amount?: number
  /** Unix seconds. @default the simulator clock */
  at?: number
  /** API version of the events. @default the business's */
  apiVersion?: string
  /** Shuffle the events within each second. @default the business's */
  shuffle?: boolean
}

/** What `Business.capture` made or changed. */
export interface CaptureResult {
  /** The payment intent, `succeeded`, `amount_received` the captured amount. */
  paymentIntent: Wire<Stripe.PaymentIntent>
  /** The charge: `captured`, `amount_captured`, and the released rest in `amount_refunded`. */
  charge: Wire<Stripe.Charge>
  /** The balance transaction of the captured amount (the fee is on that amount only). */
  balanceTransaction: Wire<Stripe.BalanceTransaction>
  /** For a partial capture, the refund that releases the uncaptured rest of the hold. */
  release?: Wire<Stripe.Refund>
  /** The events, oldest first. */
  events: Stripe.Event[]
}

/** Days a card authorization may wait for its capture (Stripe's default for online card payments). */
const HOLD_DAYS = 7

/**
 * A card payment authorized but not captured (`capture_method: 'manual'`). Events:
 * `payment_intent.created`; a second later `charge.succeeded` (with `captured: false`) and
 * `payment_intent.amount_capturable_updated`.
 */
export function authorize(scene: Scene, input: AuthorizeInput): AuthorizationResult {
  const at = scene.moment(input.at)
  const currency = (input.currency ?? scene.account.defaultCurrency).toLowerCase()
  checkAmount(input.amount, currency, 'amount')
  const spec = {
    amount: input.amount,
    currency,
    payer: payerFor(scene, input),
    card: input.card ?? {},
    description: input.description ?? null,
    at,
  }
  const base: Wire<Stripe.PaymentIntent> = { ...basePaymentIntent(scene, spec), capture_method: 'manual' }
  const charged = at + 1
  const full = baseCharge(scene, spec, charged, base.id)
  const card = full.payment_method_details?.card
  const charge: Wire<Stripe.Charge> = {
    ...full,
    amount_captured: 0,
    balance_transaction: null,
    captured: false,
    payment_method_details: {
      type: 'card',
      ...(card
        ? { card: { ...card, amount_authorized: input.amount, capture_before: charged + HOLD_DAYS * 86_400 } }
        : {}),
    },
  }
  const paymentIntent: Wire<Stripe.PaymentIntent> = {
    ...base,
    amount_capturable: input.amount,
    amount_received: 0,
    last_payment_error: null,
    latest_charge: charge.id,
    payment_method: charge.payment_method as string,
    status: 'requires_capture',
  }
  const batch = new EventBatch(at)
  batch.add('payment_intent.created', paymentIntentCreated(paymentIntent))
  batch.add('charge.succeeded', charge, { offset: 1 })
  batch.add('payment_intent.amount_capturable_updated', paymentIntent, { offset: 1 })
  scene.store.add(paymentIntent)
  scene.store.add(charge)
  return { paymentIntent, charge, events: scene.emit(batch, input) }
}

/**
 * Captures an authorized payment, in full or in part. Stripe releases the rest of the hold at once as
 * a refund of the uncaptured amount: the charge's `amount_refunded` counts it (`refunded` stays false),
 * and the balance transaction and its fee are on the captured amount. Events: `charge.captured`, then
 * `payment_intent.succeeded`; the release has no event of its own (assumed, as integrations read it
 * from `charge.captured` or the charge's refunds).
 */
export function capture(
  scene: Scene,
  ref: Wire<Stripe.PaymentIntent> | string,
  input: CaptureInput,
): CaptureResult {
  const id = idOfRef(ref)
  const held = required(scene.store.get('payment_intent', id), 'payment intent', id)
  if (held.status !== 'requires_capture') {
    throw new Error(
      `[stripe-simulator] Payment intent ${id} is ${held.status}; only requires_capture can be captured.`,
    )
  }
  const chargeId = String(held.latest_charge)
  const authorized = required(scene.store.get('charge', chargeId), 'charge', chargeId)
  const amount = input.amount ?? held.amount_capturable
  checkAmount(amount, held.currency, 'amount')
  if (amount > held.amount_capturable) {
    throw new RangeError(
      `[stripe-simulator] Expected \`amount\` at most the amount_capturable of ${id} (${held.amount_capturable}), got ${amount}.`,
    )
  }
  const at = scene.moment(input.at)
  const rest = held.amount_capturable - amount
  const balanceTransaction = chargeTransaction(scene, authorized, amount, at)
  const release = rest === 0 ? undefined : releaseOf(scene, authorized, rest, at)
  const charge: Wire<Stripe.Charge> = {
    ...authorized,
    amount_captured: amount,
    amount_refunded: rest,
    balance_transaction: balanceTransaction.id,
    captured: true,
    refunded: false,
  }
  const paymentIntent: Wire<Stripe.PaymentIntent> = {
    ...held,
    amount_capturable: 0,
    amount_received: amount,
    status: 'succeeded',
  }
  scene.store.add(balanceTransaction)
  if (release !== undefined) scene.store.add(release)
  scene.save(charge)
  scene.save(paymentIntent)
  const batch = new EventBatch(at)
  batch.add('charge.captured', charge)
  batch.add('payment_intent.succeeded', paymentIntent)
  return {
    paymentIntent,
    charge,
    balanceTransaction,
    ...(release === undefined ? {} : { release }),
    events: scene.emit(batch, input),
  }
}

/** The refund that gives the uncaptured rest of a hold back to the card: a reversal, no balance move. */
function releaseOf(
  scene: Scene,
  charge: Wire<Stripe.Charge>,
  amount: number,
  at: number,
): Wire<Stripe.Refund> {
  return {
    ...structuredClone(refundFixture),
    id: scene.id('re'),
    amount,
    balance_transaction: null,
    charge: charge.id,
    created: at,
    currency: charge.currency,
    customer: charge.customer,
    destination_details: { card: { type: 'reversal' }, type: 'card' },
    payment_intent: charge.payment_intent,
    payment_method: charge.payment_method,
    reason: null,
    status: 'succeeded',
  }
}

function payerFor(scene: Scene, input: { customer?: SaleInput['customer']; guest?: Guest }): Payer {
  if (input.customer === undefined) return guestPayer(scene, input.guest)
  const id = idOfRef(input.customer)
  return payerOf(required(scene.store.get('customer', id), 'customer', id))
}
