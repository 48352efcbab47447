import type Stripe from 'stripe'
import { balanceTransactionFixture } from '../fixtures/balance-transaction.js'
import { payoutFixture } from '../fixtures/payout.js'
import type { Wire } from '../wire.js'
import { EventBatch, type Scene } from './context.js'
import { checkAmount } from './money.js'

/** Why a payout fails (Stripe's `failure_code`s for bank payouts). */
export type PayoutFailureCode =
  | 'account_closed'
  | 'account_frozen'
  | 'bank_account_restricted'
  | 'could_not_process'
  | 'debit_not_authorized'
  | 'insufficient_funds'
  | 'invalid_account_number'
  | 'no_account'

/** Stripe's `failure_message` of each payout failure code. */
const FAILURES: Readonly<Record<PayoutFailureCode, string>> = {
  account_closed: 'The bank account has been closed.',
  account_frozen: 'The bank account has been frozen.',
  bank_account_restricted:
    'The bank account has restrictions on either the type, or the number, of payouts allowed.',
  could_not_process: 'The bank could not process this payout.',
  debit_not_authorized: 'Debit transactions are not approved on the bank account.',
  insufficient_funds: 'Your Stripe account has insufficient funds to cover the payout.',
  invalid_account_number: 'The bank account number appears to be invalid.',
  no_account:
    'The bank account details on file are probably incorrect. No bank account could be located with those details.',
}

/** Options of `Business.payout`. */
export interface PayoutInput {
  /** Smallest currency unit. */
  amount: number
  /** @default the account's default currency */
  currency?: string
  /** How it ends on its arrival date: `payout.paid`, or `payout.failed`. @default 'paid' */
  status?: 'paid' | 'failed'
  /** @default 'account_closed' (failed payouts only) */
  failureCode?: PayoutFailureCode
  /**
   * Unix seconds of `payout.created`. The payout arrives two days later at midnight UTC: then, once the
   * simulator clock gets there, it is paid or fails. @default the simulator clock
   */
  at?: number
  /**
   * Unix seconds at which the bank confirms it on the arrival date: when the payout turns `paid` or
   * `failed` and its event is created. @default the arrival date itself (midnight UTC)
   */
  settledAt?: number
  /** API version of the events. @default the business's */
  apiVersion?: string
  /** Shuffle the events within each second. @default the business's */
  shuffle?: boolean
}

/** What happens to a payout on its arrival date. */
export interface PayoutArrival {
  /** Unix seconds: `arrival_date`, when `payout.paid` or `payout.failed` is created. */
  at: number
  /** The event that announces it. */
  type: 'payout.paid' | 'payout.failed'
  /** The payout then: `paid`, or `failed` with `failure_code`, `failure_message`... */
  payout: Wire<Stripe.Payout>
  /** For a failed payout, the balance transaction that returns the funds. */
  failureBalanceTransaction?: Wire<Stripe.BalanceTransaction>
}

/** What `Business.payout` made. */
export interface PayoutResult {
  /** The payout as created: `pending` until its arrival date. */
  payout: Wire<Stripe.Payout>
  /** The payout's balance transaction (negative amount). */
  balanceTransaction: Wire<Stripe.BalanceTransaction>
  /** `payout.created`. */
  events: Stripe.Event[]
  /** What the arrival date brings, stored and announced only once the simulator clock reaches it. */
  arrival: PayoutArrival
}

const DAY = 86_400

/**
 * A standard payout to the account's bank account: `payout.created` now (or at `at`). On its arrival
 * date (two days later, midnight UTC) it is paid or fails: the stored payout changes and `payout.paid` /
 * `payout.failed` is created at that moment, once the simulator clock gets there, as Stripe does it.
 */
export function payout(scene: Scene, input: PayoutInput): PayoutResult {
  const currency = (input.currency ?? scene.account.defaultCurrency).toLowerCase()
  checkAmount(input.amount, currency, 'amount')
  const at = scene.moment(input.at)
  const arrival = Math.floor((at + 2 * DAY) / DAY) * DAY
  const id = scene.id('po')
  const balanceTransaction = payoutTransaction(scene, id, -input.amount, 'payout', at, currency)
  const pending: Wire<Stripe.Payout> = {
    ...structuredClone(payoutFixture),
    id,
    amount: input.amount,
    arrival_date: arrival,
    balance_transaction: balanceTransaction.id,
    created: at,
    currency,
    destination: `ba_${scene.token(24)}`,
    livemode: scene.livemode,
    reconciliation_status: 'not_applicable',
    status: 'pending',
  }
  scene.store.add(balanceTransaction)
  scene.store.add(pending)
  const created = new EventBatch(at)
  created.add('payout.created', pending)
  const events = scene.emit(created, input)
  const settledAt = input.settledAt ?? arrival
  if (settledAt < at) throw new Error(`A payout cannot settle (${settledAt}) before it is created (${at}).`)
  const outcome = settle(scene, pending, input, settledAt)
  const later = new EventBatch(settledAt)
  later.add(outcome.type, outcome.payout)
  const failure = outcome.failureBalanceTransaction
  scene.later(settledAt, later, failure === undefined ? [outcome.payout] : [failure, outcome.payout], input)
  return { payout: pending, balanceTransaction, events, arrival: outcome }
}

/** The payout on its arrival date: paid, or failed with its code, message and returning funds. */
function settle(
  scene: Scene,
  pending: Wire<Stripe.Payout>,
  input: PayoutInput,
  arrival: number,
): PayoutArrival {
  if ((input.status ?? 'paid') === 'paid') {
    const paid = { ...pending, reconciliation_status: 'completed' as const, status: 'paid' }
    return { at: arrival, type: 'payout.paid', payout: paid }
  }
  const code = input.failureCode ?? 'account_closed'
  const failure = payoutTransaction(
    scene,
    pending.id,
    pending.amount,
    'payout_failure',
    arrival,
    pending.currency,
  )
  return {
    at: arrival,
    type: 'payout.failed',
    payout: {
      ...pending,
      failure_balance_transaction: failure.id,
      failure_code: code,
      failure_message: FAILURES[code],
      status: 'failed',
    },
    failureBalanceTransaction: failure,
  }
}

function payoutTransaction(
  scene: Scene,
  payoutId: string,
  amount: number,
  type: 'payout' | 'payout_failure',
  created: number,
  currency: string,
): Wire<Stripe.BalanceTransaction> {
  return {
    ...structuredClone(balanceTransactionFixture),
    id: scene.id('txn'),
    amount,
    available_on: created,
    created,
    currency,
    description: type === 'payout' ? 'STRIPE PAYOUT' : 'Payout failure',
    fee: 0,
    fee_details: [],
    net: amount,
    reporting_category: type === 'payout' ? 'payout' : 'payout_reversal',
    source: payoutId,
    status: 'available',
    type,
  }
}
