import type Stripe from 'stripe'
import { balanceTransactionFixture } from '../fixtures/balance-transaction.js'
import { refundFixture } from '../fixtures/refund.js'
import { atLeast } from '../render/versions.js'
import type { Wire } from '../wire.js'
import { EventBatch, idOfRef, required, type Scene } from './context.js'
import { checkAmount } from './money.js'

/** Options of `Business.refund`. */
export interface RefundInput {
  /** A partial refund (smallest currency unit). @default what is left of the charge */
  amount?: number
  /** @default 'requested_by_customer' */
  reason?: Stripe.Refund.Reason | null
  /** Unix seconds. @default the simulator clock */
  at?: number
  /** API version of the events. @default the business's */
  apiVersion?: string
  /** Shuffle the events within each second. @default the business's */
  shuffle?: boolean
}

/** What `Business.refund` made or changed. */
export interface RefundResult {
  /** The refund, `succeeded`, with its acquirer reference number. */
  refund: Wire<Stripe.Refund>
  /** The charge: `amount_refunded`, and `refunded: true` once fully refunded. */
  charge: Wire<Stripe.Charge>
  /** The refund's balance transaction (negative amount and net, no fee). */
  balanceTransaction: Wire<Stripe.BalanceTransaction>
  /** The events, oldest first. */
  events: Stripe.Event[]
}

/** 2024-10-28.acacia: card refunds send `refund.created` / `refund.updated` (before: `charge.refund.updated`). */
const CARD_REFUND_EVENTS = '2024-10-28'

/**
 * A card refund. Events: `charge.refunded` (with `previous_attributes`), then — from 2024-10-28.acacia,
 * when Stripe began sending refund events for card refunds — `refund.created`, and a second later
 * `refund.updated` (the acquirer reference number arrives); before that version, `charge.refund.updated`.
 */
export function refund(scene: Scene, ref: Wire<Stripe.Charge> | string, input: RefundInput): RefundResult {
  const { charge, amount } = refundable(scene, idOfRef(ref), input.amount)
  const at = scene.moment(input.at)
  const balanceTransaction: Wire<Stripe.BalanceTransaction> = {
    ...structuredClone(balanceTransactionFixture),
    id: scene.id('txn'),
    amount: -amount,
    available_on: at,
    created: at,
    currency: charge.currency,
    description: `REFUND FOR CHARGE (${charge.description ?? 'Payment'})`,
    fee: 0,
    fee_details: [],
    net: -amount,
    reporting_category: 'refund',
    source: '',
    status: 'available',
    type: 'refund',
  }
  const pending: Wire<Stripe.Refund> = {
    ...structuredClone(refundFixture),
    id: scene.id('re'),
    amount,
    balance_transaction: balanceTransaction.id,
    charge: charge.id,
    created: at,
    currency: charge.currency,
    customer: charge.customer,
    destination_details: {
      card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
      type: 'card',
    },
    payment_intent: charge.payment_intent,
    payment_method: charge.payment_method,
    reason: input.reason === undefined ? 'requested_by_customer' : input.reason,
    status: 'succeeded',
  }
  balanceTransaction.source = pending.id
  const final: Wire<Stripe.Refund> = {
    ...pending,
    destination_details: {
      card: {
        reference: scene.digits(23),
        reference_status: 'available',
        reference_type: 'acquirer_reference_number',
        type: 'refund',
      },
      type: 'card',
    },
  }
  const refunded = charge.amount_refunded + amount
  const after: Wire<Stripe.Charge> = {
    ...charge,
    amount_refunded: refunded,
    refunded: refunded === charge.amount,
  }
  scene.store.add(final)
  scene.store.add(balanceTransaction)
  scene.save(after)
  const batch = new EventBatch(at)
  batch.add('charge.refunded', after, { before: charge })
  if (atLeast(scene.versionOf(input), CARD_REFUND_EVENTS)) {
    batch.add('refund.created', pending)
    batch.add('refund.updated', final, { offset: 1, before: pending })
  } else {
    batch.add('charge.refund.updated', final, { offset: 1, before: pending })
  }
  return { refund: final, charge: after, balanceTransaction, events: scene.emit(batch, input) }
}

/** The stored charge and the amount to refund: what is left unless `wanted` says less. */
function refundable(scene: Scene, id: string, wanted: number | undefined) {
  const charge = required(scene.store.get('charge', id), 'charge', id)
  if (charge.status !== 'succeeded')
    throw new Error(`[stripe-simulator] Charge ${id} did not succeed; it cannot be refunded.`)
  if (!charge.captured) throw new Error(`[stripe-simulator] Charge ${id} is not captured; capture it first.`)
  // `amount_refunded` counts the uncaptured part of a partial capture too, so refunds end at `amount`.
  const left = charge.amount - charge.amount_refunded
  const amount = wanted ?? left
  checkAmount(amount, charge.currency, 'amount')
  if (amount > left) {
    throw new RangeError(
      `[stripe-simulator] Refund amount (${amount}) is greater than the unrefunded amount on charge ${id} (${left}).`,
    )
  }
  return { charge, amount }
}
