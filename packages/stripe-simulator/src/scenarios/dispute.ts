import type Stripe from 'stripe'
import { balanceTransactionFixture } from '../fixtures/balance-transaction.js'
import { disputeFixture } from '../fixtures/dispute.js'
import type { Wire } from '../wire.js'
import { EventBatch, idOfRef, required, type Scene } from './context.js'
import { disputeFee } from './money.js'

/** Reasons a cardholder gives for a dispute, as Stripe lists them. */
export type DisputeReason =
  | 'bank_cannot_process'
  | 'check_returned'
  | 'credit_not_processed'
  | 'customer_initiated'
  | 'debit_not_authorized'
  | 'duplicate'
  | 'fraudulent'
  | 'general'
  | 'incorrect_account_details'
  | 'insufficient_funds'
  | 'noncompliant'
  | 'product_not_received'
  | 'product_unacceptable'
  | 'subscription_canceled'
  | 'unrecognized'

/** Options of `Business.dispute`. */
export interface DisputeInput {
  /** @default 'fraudulent' */
  reason?: DisputeReason
  /** The disputed amount. @default the charge's captured amount */
  amount?: number
  /** Unix seconds. @default the simulator clock */
  at?: number
  /** API version of the events. @default the business's */
  apiVersion?: string
  /** Shuffle the events within each second. @default the business's */
  shuffle?: boolean
}

/** Options of `Business.closeDispute`. */
export type CloseDisputeInput = Omit<DisputeInput, 'reason' | 'amount'>

/** What `Business.dispute` and `Business.closeDispute` made or changed. */
export interface DisputeResult {
  /** The dispute after the call. */
  dispute: Wire<Stripe.Dispute>
  /** The balance transaction of the call: the withdrawal (amount and dispute fee), or the reinstatement of a won dispute. */
  balanceTransaction?: Wire<Stripe.BalanceTransaction>
  /** The events, oldest first. */
  events: Stripe.Event[]
}

/** Visa's reason codes by dispute reason (what `payment_method_details.card.network_reason_code` shows). */
const VISA_REASON: Partial<Record<DisputeReason, string>> = {
  fraudulent: '10.4',
  product_not_received: '13.1',
  duplicate: '12.6.1',
  subscription_canceled: '13.2',
  product_unacceptable: '13.3',
  credit_not_processed: '13.6',
}

function adjustment(
  scene: Scene,
  dispute: Wire<Stripe.Dispute>,
  amount: number,
  fee: number,
  at: number,
  label: string,
) {
  const bt: Wire<Stripe.BalanceTransaction> = {
    ...structuredClone(balanceTransactionFixture),
    id: scene.id('txn'),
    amount,
    available_on: at,
    created: at,
    currency: dispute.currency,
    description: `${label} for ${String(dispute.charge)}`,
    fee,
    fee_details:
      fee === 0
        ? []
        : [
            {
              amount: fee,
              application: null,
              currency: dispute.currency,
              description: 'Dispute fee',
              type: 'stripe_fee',
            },
          ],
    net: amount - fee,
    reporting_category: amount < 0 ? 'dispute' : 'dispute_reversal',
    source: dispute.id,
    status: 'available',
    type: 'adjustment',
  }
  return bt
}

/**
 * A chargeback: the dispute (`needs_response`, evidence due in 7 days) and the withdrawal of its amount
 * plus Stripe's dispute fee. Events: `charge.dispute.created`, `charge.dispute.funds_withdrawn`.
 */
export function dispute(scene: Scene, ref: Wire<Stripe.Charge> | string, input: DisputeInput): DisputeResult {
  const id = idOfRef(ref)
  const charge = required(scene.store.get('charge', id), 'charge', id)
  if (!charge.captured)
    throw new Error(`[stripe-simulator] Charge ${id} is not captured; it cannot be disputed.`)
  const at = scene.moment(input.at)
  const amount = input.amount ?? charge.amount_captured
  const reason = input.reason ?? 'fraudulent'
  const card = charge.payment_method_details?.card
  const base: Wire<Stripe.Dispute> = {
    ...structuredClone(disputeFixture),
    id: scene.id('dp'),
    amount,
    balance_transactions: [],
    charge: charge.id,
    created: at,
    currency: charge.currency,
    enhanced_eligibility_types: [],
    evidence_details: {
      ...structuredClone(disputeFixture.evidence_details),
      due_by: Math.floor(at / 86_400) * 86_400 + 8 * 86_400 - 1,
    },
    is_charge_refundable: false,
    livemode: scene.livemode,
    payment_intent: charge.payment_intent,
    payment_method_details: {
      card: {
        brand: card?.brand ?? 'visa',
        case_type: 'chargeback',
        network: card?.network ?? 'visa',
        network_reason_code: VISA_REASON[reason] ?? '10.4',
      },
      type: 'card',
    },
    reason,
    status: 'needs_response',
  }
  const withdrawal = adjustment(
    scene,
    base,
    -amount,
    disputeFee(charge.currency),
    at,
    'Chargeback withdrawal',
  )
  const created: Wire<Stripe.Dispute> = { ...base, balance_transactions: [withdrawal] }
  scene.store.add(created)
  scene.store.add(withdrawal)
  scene.save({ ...charge, disputed: true })
  const batch = new EventBatch(at)
  batch.add('charge.dispute.created', created)
  batch.add('charge.dispute.funds_withdrawn', created)
  return { dispute: created, balanceTransaction: withdrawal, events: scene.emit(batch, input) }
}

/**
 * The dispute's outcome. Won: the disputed amount comes back (`charge.dispute.funds_reinstated`; the
 * fee is kept), then `charge.dispute.closed`. Lost: `charge.dispute.closed` only.
 */
export function closeDispute(
  scene: Scene,
  ref: Wire<Stripe.Dispute> | string,
  outcome: 'won' | 'lost',
  input: CloseDisputeInput,
): DisputeResult {
  const id = idOfRef(ref)
  const open = required(scene.store.get('dispute', id), 'dispute', id)
  if (open.status === 'won' || open.status === 'lost')
    throw new Error(`[stripe-simulator] Dispute ${id} is already closed.`)
  const at = scene.moment(input.at)
  const batch = new EventBatch(at)
  if (outcome === 'lost') {
    const lost: Wire<Stripe.Dispute> = { ...open, status: 'lost' }
    scene.save(lost)
    batch.add('charge.dispute.closed', lost)
    return { dispute: lost, events: scene.emit(batch, input) }
  }
  const reinstated = adjustment(scene, open, open.amount, 0, at, 'Chargeback reversal')
  const won: Wire<Stripe.Dispute> = {
    ...open,
    balance_transactions: [...open.balance_transactions, reinstated],
    status: 'won',
  }
  scene.store.add(reinstated)
  scene.save(won)
  batch.add('charge.dispute.funds_reinstated', { ...won, status: open.status })
  batch.add('charge.dispute.closed', won)
  return { dispute: won, balanceTransaction: reinstated, events: scene.emit(batch, input) }
}
