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
  /** How it ends: `payout.paid` on its arrival date, or `payout.failed`. */
  status: 'paid' | 'failed'
  /** @default 'account_closed' (failed payouts only) */
  failureCode?: PayoutFailureCode
  /**
   * Unix seconds of `payout.created`. The payout arrives two days later (midnight UTC), when
   * `payout.paid` / `payout.failed` happens. @default two days before the simulator clock, so that the
   * arrival is not in the future
   */
  at?: number
  /** API version of the events. @default the business's */
  apiVersion?: string
  /** Shuffle the events within each second. @default the business's */
  shuffle?: boolean
}

/** What `Business.payout` made. */
export interface PayoutResult {
  /** The payout, `paid` or `failed`, with `arrival_date`. */
  payout: Wire<Stripe.Payout>
  /** The payout's balance transaction (negative amount). */
  balanceTransaction: Wire<Stripe.BalanceTransaction>
  /** For a failed payout, the balance transaction that returns the funds. */
  failureBalanceTransaction?: Wire<Stripe.BalanceTransaction>
  /** The events, oldest first. */
  events: Stripe.Event[]
}

const DAY = 86_400

/** A standard payout to the account's bank account: `payout.created`, then `payout.paid` or `payout.failed`. */
export function payout(scene: Scene, input: PayoutInput): PayoutResult {
  const currency = (input.currency ?? scene.account.defaultCurrency).toLowerCase()
  checkAmount(input.amount, currency, 'amount')
  const at = input.at ?? scene.now() - 2 * DAY
  const arrival = Math.floor((at + 2 * DAY) / DAY) * DAY
  const id = scene.id('po')
  const transaction = (amount: number, type: 'payout' | 'payout_failure', created: number) => ({
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
    source: id,
    status: 'available',
    type,
  })
  const balanceTransaction: Wire<Stripe.BalanceTransaction> = transaction(-input.amount, 'payout', at)
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
  const batch = new EventBatch(at)
  batch.add('payout.created', pending)
  let final: Wire<Stripe.Payout>
  let failure: Wire<Stripe.BalanceTransaction> | undefined
  if (input.status === 'paid') {
    final = { ...pending, reconciliation_status: 'completed', status: 'paid' }
    batch.add('payout.paid', final, { offset: arrival - at })
  } else {
    const code = input.failureCode ?? 'account_closed'
    failure = transaction(input.amount, 'payout_failure', arrival)
    final = {
      ...pending,
      failure_balance_transaction: failure.id,
      failure_code: code,
      failure_message: FAILURES[code],
      status: 'failed',
    }
    batch.add('payout.failed', final, { offset: arrival - at })
    scene.store.add(failure)
  }
  scene.store.add(balanceTransaction)
  scene.store.add(final)
  return {
    payout: final,
    balanceTransaction,
    ...(failure === undefined ? {} : { failureBalanceTransaction: failure }),
    events: scene.emit(batch, input),
  }
}
