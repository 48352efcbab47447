import type { Account, AccountStatus } from './account.js'
import type { CashNotifyError } from './errors.js'

/** An account's status changed. */
export interface AccountStatusChange {
  /** The account, with its new status. */
  readonly account: Account
  /** The status before. */
  readonly previous: AccountStatus
  /** The status now. */
  readonly status: AccountStatus
  /** Why, for a person. */
  readonly reason: string
  /** The error behind the change, when there is one. */
  readonly error?: CashNotifyError
}

/**
 * Everything a `CashNotify` instance emits: event name → listener arguments.
 * `cn.on('account.added', (account) => …)` infers `account: Account`.
 */
export interface CashNotifyEvents {
  /** An account was added and is watched. */
  'account.added': [account: Account]
  /** An account was removed. */
  'account.removed': [account: Account]
  /** An account's status changed. */
  'account.status': [change: AccountStatusChange]
  /**
   * Something failed that the app may want to know: a listener threw, a background step failed.
   * Without an `error` listener these go to the logger.
   */
  error: [error: CashNotifyError]
}

/** The name of an event of {@link CashNotifyEvents}. */
export type CashNotifyEventName = keyof CashNotifyEvents
