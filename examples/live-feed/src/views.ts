import type { Account, AccountStatus, KeyMode, Money, SaleEvent } from '@cashnotify/core'
import { accountKey, type CurrencyTotal, type TotalsSnapshot } from './totals.js'

/** Where the page loads an account's logo from. */
export function logoPath(account: { readonly id: string; readonly mode: KeyMode }): string {
  return `/logos/${encodeURIComponent(account.id)}/${account.mode}`
}

/** An account as the page shows it. */
export interface AccountView {
  /** `${id}/${mode}`. */
  readonly key: string
  /** The name to show. */
  readonly name: string
  /** `live` or `test`. */
  readonly mode: KeyMode
  /** The logo's URL on this server. */
  readonly logoUrl: string
}

/**
 * A sale as the page gets it: only what it shows. The raw Stripe events, fees and ids stay on the
 * server. Absent fields are `null`.
 */
export interface SaleView {
  /** The sale's stable id. */
  readonly id: string
  /** When it happened, ISO 8601. */
  readonly createdAt: string
  /** True for a sale read when the account was first watched (shown, but not as new). */
  readonly backfill: boolean
  /** What the customer paid. */
  readonly amount: Money
  /** Who paid, as far as the key may read it. */
  readonly customer: { email: string | null; name: string | null; country: string | null }
  /** What was bought; empty for a payment without an invoice or Checkout Session. */
  readonly products: ReadonlyArray<{ name: string; quantity: number }>
  /** The payment's description, if any. */
  readonly description: string | null
  /** Whose sale it is. */
  readonly account: AccountView
}

/** One account in the summary: who it is, how it is doing, and its totals for today. */
export interface AccountSummary extends AccountView {
  /** `active`, `degraded` …, or `removed` for an account no longer watched that sold today. */
  readonly status: AccountStatus | 'removed'
  /** Today's totals, one per currency; empty before its first sale of the day. */
  readonly totals: readonly CurrencyTotal[]
}

/** What the page's header and totals show; sent on connect and with every change. */
export interface Summary {
  /** The day of the totals, `YYYY-MM-DD`. */
  readonly day: string
  /** The time zone whose midnight starts a day. */
  readonly timeZone: string
  /** Every watched account, then those that sold today but are no longer watched. */
  readonly accounts: readonly AccountSummary[]
  /** Today's totals per currency, all accounts together. */
  readonly all: readonly CurrencyTotal[]
}

/** The page's view of a sale. */
export function saleView(sale: SaleEvent): SaleView {
  return {
    id: sale.id,
    createdAt: sale.createdAt.toISOString(),
    backfill: sale.backfill,
    amount: { amount: sale.amount.amount, currency: sale.amount.currency, formatted: sale.amount.formatted },
    customer: {
      email: sale.customer?.email ?? null,
      name: sale.customer?.name ?? null,
      country: sale.customer?.country ?? null,
    },
    products: sale.products.map((line) => ({
      name: line.name ?? line.id ?? 'Unnamed product',
      quantity: line.quantity,
    })),
    description: sale.description ?? null,
    account: {
      key: accountKey(sale.account),
      name: sale.account.name,
      mode: sale.account.mode,
      logoUrl: logoPath(sale.account),
    },
  }
}

/** The summary: watched accounts (in the order they were added) joined with today's totals. */
export function summarize(accounts: readonly Account[], totals: TotalsSnapshot): Summary {
  const byAccount = new Map(totals.accounts.map((entry) => [entry.account, entry]))
  const watched = accounts.map(
    (account): AccountSummary => ({
      key: account.ref,
      name: account.name,
      mode: account.mode,
      status: account.status,
      logoUrl: logoPath(account),
      totals: byAccount.get(account.ref)?.currencies ?? [],
    }),
  )
  const refs = new Set(accounts.map((account) => account.ref))
  const gone = totals.accounts
    .filter((entry) => !refs.has(entry.account))
    .map((entry): AccountSummary => {
      const [id = entry.account, mode = 'live'] = entry.account.split('/')
      const keyMode: KeyMode = mode === 'test' ? 'test' : 'live'
      return {
        key: entry.account,
        name: entry.name,
        mode: keyMode,
        status: 'removed',
        logoUrl: logoPath({ id, mode: keyMode }),
        totals: entry.currencies,
      }
    })
  return { day: totals.day, timeZone: totals.timeZone, accounts: [...watched, ...gone], all: totals.all }
}
