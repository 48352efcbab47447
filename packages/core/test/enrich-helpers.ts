import type { StripeSimulator } from '@cashnotify/stripe-simulator'
import { Keyv } from 'keyv'
import type Stripe from 'stripe'
import { expect } from 'vitest'
import type { CashNotify, CashNotifyOptions, DomainEvent, DomainEvents } from '../src/index.js'
import { ALL_PERMISSIONS } from './helpers.js'
import { advance, type Fetch, fakeTimeSimulator, watcher } from './polling-helpers.js'

/** The API versions enrichment is tested at: before and after 2025-03-31's invoice changes. */
export const OLD_VERSION = '2024-06-20'
export const CURRENT_VERSION = '2026-10-28.endive'

/** A watched business on the in-process simulator, recording the domain events. */
export interface Shop {
  sim: StripeSimulator
  fetch: Fetch
  accountId: string
  key: string
  cn: CashNotify
  domain: DomainEvent[]
  of<K extends keyof DomainEvents>(type: K): Array<DomainEvents[K]>
  /** Runs polls for `ms` of fake time. */
  run(ms?: number): Promise<void>
}

/** Starts watching a new account (no backfill) whose key has `permissions`. */
export async function shop(
  options: {
    permissions?: readonly string[]
    cashnotify?: CashNotifyOptions
    country?: string
    /** A restricted key with `permissions` (the default), or a standard secret key that may read anything. */
    kind?: 'restricted' | 'secret'
  } = {},
): Promise<Shop> {
  const { sim, fetch } = fakeTimeSimulator()
  const accountId = sim.createAccount({ businessName: 'Acme Inc', country: options.country ?? 'US' }).id
  const key =
    options.kind === 'secret'
      ? sim.createKey({ account: accountId, kind: 'secret', mode: 'test' })
      : sim.createKey({
          account: accountId,
          kind: 'restricted',
          mode: 'test',
          permissions: options.permissions ?? ALL_PERMISSIONS,
        })
  const { cn } = watcher(fetch, { backfill: 0, store: new Keyv(), ...options.cashnotify })
  const domain: DomainEvent[] = []
  cn.on('event', (event) => void domain.push(event))
  await cn.addAccount({ apiKey: key })
  await cn.start()
  await advance(0)
  return {
    sim,
    fetch,
    accountId,
    key,
    cn,
    domain,
    of: <K extends keyof DomainEvents>(type: K) =>
      domain.filter((e) => e.type === type) as Array<DomainEvents[K]>,
    run: (ms = 5_000) => advance(ms),
  }
}

/** Unix seconds now (fake time). */
export const nowSeconds = (): number => Math.floor(Date.now() / 1000)

/**
 * A paid subscription invoice whose events happened ten minutes ago (so no poll reads them), to be
 * replayed into the account in whatever order and split the tests choose: its objects are in the store,
 * as they would be.
 */
export function invoicePayment(sim: StripeSimulator, accountId: string, apiVersion: string): Stripe.Event[] {
  const biz = sim.business(accountId, { apiVersion })
  const jane = biz.customer({ email: 'jane@example.com', country: 'US', at: nowSeconds() - 700 })
  const pro = biz.product({
    name: 'Pro plan',
    unitAmount: 4900,
    currency: 'usd',
    recurring: { interval: 'month' },
    at: nowSeconds() - 700,
  })
  const sub = biz.subscribe({ customer: jane, price: pro.price, at: nowSeconds() - 600 })
  return sub.events.filter(
    (e) => e.type !== 'customer.subscription.created' && e.type !== 'payment_intent.created',
  )
}

export function replay(sim: StripeSimulator, accountId: string, events: readonly Stripe.Event[]): void {
  for (const event of events) {
    sim.createEvent({
      account: accountId,
      livemode: false,
      type: event.type,
      object: event.data.object,
      apiVersion: event.api_version ?? CURRENT_VERSION,
      ...(event.data.previous_attributes ? { previousAttributes: event.data.previous_attributes } : {}),
    })
  }
}

/** Each sale's fee is its own charge's, as the simulator recorded it (test mode). */
export function expectOwnFees(s: Shop): void {
  const store = s.sim.store(s.accountId, false)
  for (const sale of s.of('sale')) {
    const charge = store.get('charge', sale.chargeId ?? '')
    const bt = store.get('balance_transaction', String(charge?.balance_transaction))
    expect(bt?.fee).toBeGreaterThan(0)
    expect(sale.fee?.amount).toBe(bt?.fee)
  }
}
