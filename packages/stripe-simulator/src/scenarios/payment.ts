import type Stripe from 'stripe'
import { balanceTransactionFixture } from '../fixtures/balance-transaction.js'
import { chargeFixture } from '../fixtures/charge.js'
import { paymentIntentFixture } from '../fixtures/payment-intent.js'
import type { Wire } from '../wire.js'
import { type CardInput, type Decline, declinedOutcome, networkOf } from './cards.js'
import type { Scene } from './context.js'
import { cardFee } from './money.js'

/** Who pays: the customer (if any) and the billing details the card was entered with. */
export interface Payer {
  readonly customer: string | null
  readonly email: string | null
  readonly name: string | null
  readonly country: string | null
  readonly phone: string | null
}

/** One card payment to build. */
export interface PaymentSpec {
  readonly amount: number
  readonly currency: string
  readonly payer: Payer
  readonly card: CardInput
  readonly description: string | null
  /** When the payment intent is created; the charge follows a second later. */
  readonly at: number
  /** Reuse this payment intent (a retried invoice payment) instead of creating one. */
  readonly paymentIntent?: Wire<Stripe.PaymentIntent>
}

/** The objects of one succeeded card payment. */
export interface BuiltPayment {
  readonly paymentIntent: Wire<Stripe.PaymentIntent>
  readonly charge: Wire<Stripe.Charge>
  readonly balanceTransaction: Wire<Stripe.BalanceTransaction>
}

const DAY = 86_400

/** A customer as a payer: their email, name, address country and phone. */
export function payerOf(customer: Wire<Stripe.Customer>): Payer {
  return {
    customer: customer.id,
    email: customer.email,
    name: customer.name ?? null,
    country: customer.address?.country ?? null,
    phone: customer.phone ?? null,
  }
}

/** A buyer who is not a Stripe customer: the billing details entered (country: the account's by default). */
export function guestPayer(
  scene: Scene,
  guest: { readonly email: string; readonly name?: string | null; readonly country?: string } | undefined,
): Payer {
  return {
    customer: null,
    email: guest?.email ?? null,
    name: guest?.name ?? null,
    country: guest?.country ?? scene.account.country,
    phone: null,
  }
}

/** A succeeded payment intent, its charge and the charge's balance transaction (fee, net). */
export function buildPayment(scene: Scene, spec: PaymentSpec): BuiltPayment {
  const charged = spec.at + 1
  const base = basePaymentIntent(scene, spec)
  const charge = baseCharge(scene, spec, charged, base.id)
  const balanceTransaction = chargeTransaction(scene, charge, spec.amount, charged)
  charge.balance_transaction = balanceTransaction.id
  const paymentIntent: Wire<Stripe.PaymentIntent> = {
    ...base,
    amount_received: spec.amount,
    last_payment_error: null,
    latest_charge: charge.id,
    payment_method: charge.payment_method as string,
    status: 'succeeded',
  }
  return { paymentIntent, charge, balanceTransaction }
}

/**
 * The balance transaction of a charge's captured `amount` at `at`: Stripe's fee on that amount, funds
 * available on a two-day rolling basis at midnight UTC.
 */
export function chargeTransaction(
  scene: Scene,
  charge: Wire<Stripe.Charge>,
  amount: number,
  at: number,
): Wire<Stripe.BalanceTransaction> {
  const fee = cardFee(amount, charge.currency)
  return {
    ...structuredClone(balanceTransactionFixture),
    id: scene.id('txn'),
    amount,
    available_on: Math.floor((at + 2 * DAY) / DAY) * DAY,
    created: at,
    currency: charge.currency,
    description: charge.description,
    fee,
    fee_details: [
      {
        amount: fee,
        application: null,
        currency: charge.currency,
        description: 'Stripe processing fees',
        type: 'stripe_fee',
      },
    ],
    net: amount - fee,
    reporting_category: 'charge',
    source: charge.id,
    status: 'pending',
    type: 'charge',
  }
}

/** A payment intent left in `requires_payment_method` by a declined charge, and that charge. */
export function buildFailedPayment(
  scene: Scene,
  spec: PaymentSpec,
  decline: Decline,
): { paymentIntent: Wire<Stripe.PaymentIntent>; charge: Wire<Stripe.Charge> } {
  const base = basePaymentIntent(scene, spec)
  const charge: Wire<Stripe.Charge> = {
    ...baseCharge(scene, spec, spec.at + 1, base.id),
    amount_captured: 0,
    balance_transaction: null,
    captured: false,
    failure_code: decline.code,
    failure_message: decline.message,
    outcome: declinedOutcome(decline),
    paid: false,
    receipt_url: null,
    status: 'failed',
  }
  const paymentIntent: Wire<Stripe.PaymentIntent> = {
    ...base,
    amount_received: 0,
    last_payment_error: {
      charge: charge.id,
      code: decline.code,
      decline_code: decline.declineCode,
      doc_url: `https://stripe.com/docs/error-codes/${decline.code.replaceAll('_', '-')}`,
      message: decline.message,
      type: 'card_error',
    },
    latest_charge: charge.id,
    payment_method: null,
    status: 'requires_payment_method',
  }
  return { paymentIntent, charge }
}

/** A payment intent as `payment_intent.created` shows it: nothing attempted yet. */
export function paymentIntentCreated(paymentIntent: Wire<Stripe.PaymentIntent>): Wire<Stripe.PaymentIntent> {
  return {
    ...paymentIntent,
    amount_capturable: 0,
    amount_received: 0,
    last_payment_error: null,
    latest_charge: null,
    payment_method: null,
    status: 'requires_payment_method',
  }
}

/** The payment intent of a payment (a new one, or the retried one), before its outcome. */
export function basePaymentIntent(scene: Scene, spec: PaymentSpec): Wire<Stripe.PaymentIntent> {
  if (spec.paymentIntent !== undefined) return structuredClone(spec.paymentIntent)
  const id = scene.id('pi')
  return {
    ...structuredClone(paymentIntentFixture),
    id,
    amount: spec.amount,
    client_secret: `${id}_secret_${scene.token(25)}`,
    created: spec.at,
    currency: spec.currency,
    customer: spec.payer.customer,
    description: spec.description,
    livemode: scene.livemode,
    managed_payments: { enabled: false },
  }
}

/** A card charge of the payment, as succeeded and captured; callers change what differs. */
export function baseCharge(
  scene: Scene,
  spec: PaymentSpec,
  created: number,
  paymentIntent: string,
): Wire<Stripe.Charge> {
  const fixture = structuredClone(chargeFixture)
  const brand = spec.card.brand ?? 'visa'
  const card = fixture.payment_method_details?.card
  const { refunds: _includable, ...charge } = fixture
  return {
    ...charge,
    id: scene.id('ch'),
    amount: spec.amount,
    amount_captured: spec.amount,
    billing_details: {
      address: {
        city: null,
        country: spec.payer.country,
        line1: null,
        line2: null,
        postal_code: null,
        state: null,
      },
      email: spec.payer.email,
      name: spec.payer.name,
      phone: spec.payer.phone,
      tax_id: null,
    },
    calculated_statement_descriptor: statementDescriptor(scene),
    created,
    currency: spec.currency,
    customer: spec.payer.customer,
    description: spec.description,
    livemode: scene.livemode,
    payment_intent: paymentIntent,
    payment_method: scene.id('pm'),
    payment_method_details: {
      type: 'card',
      card: {
        ...(card as NonNullable<typeof card>),
        brand,
        country: spec.card.country ?? spec.payer.country ?? scene.account.country,
        exp_month: 12,
        exp_year: new Date(created * 1000).getUTCFullYear() + 3,
        fingerprint: scene.token(16),
        funding: spec.card.funding ?? 'credit',
        last4: spec.card.last4 ?? '4242',
        network: networkOf(brand),
        three_d_secure: null,
        wallet: null,
      },
    },
    receipt_email: spec.payer.email,
    receipt_url: `https://pay.stripe.com/receipts/payment/${scene.token(88)}`,
  }
}

/** What the customer's statement shows: the account's name, upper case, at most 22 characters. */
function statementDescriptor(scene: Scene): string {
  const name = scene.account.businessName ?? scene.account.displayName ?? 'STRIPE SIMULATOR'
  return name
    .toUpperCase()
    .replace(/[^A-Z0-9 .-]/g, '')
    .slice(0, 22)
    .trim()
}
