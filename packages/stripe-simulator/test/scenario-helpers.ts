import type Stripe from 'stripe'
import { type BusinessOptions, ManualClock, type SubscriptionResult, type Wire } from '../src/index.js'
import { startSimulator } from './helpers.js'

/** 2025-06-01T00:00:00Z: the simulator clock of scenario tests. */
export const T0 = Date.UTC(2025, 5, 1) / 1000

/** A simulator over HTTP with a business on its account (test mode, events in canonical order). */
export async function startShop(options: BusinessOptions & { seed?: number; accountVersion?: string } = {}) {
  const { seed, accountVersion, ...business } = options
  const clock = new ManualClock(T0 * 1000)
  const context = await startSimulator({ clock, ...(seed === undefined ? {} : { seed }) })
  const account =
    accountVersion === undefined
      ? context.account
      : context.sim.createAccount({ businessName: 'Acme Inc.', apiVersion: accountVersion })
  const shop = context.sim.business(account.id, { shuffle: false, ...business })
  const key = context.sim.createKey({ account: account.id, kind: 'secret', mode: 'test' })
  return { ...context, account, clock, shop, client: context.stripe(key) }
}

/** The types of events, in order. */
export function typesOf(events: readonly Stripe.Event[]): string[] {
  return events.map((event) => event.type)
}

/** The one event of a type (fails the test when there is not exactly one). */
export function eventOf(events: readonly Stripe.Event[], type: string): Stripe.Event {
  const found = events.filter((event) => event.type === type)
  if (found.length !== 1) throw new Error(`Expected one ${type} event, got ${found.length}.`)
  return found[0] as Stripe.Event
}

/** An event's `data.object` as a plain record (for shape assertions across API versions). */
export function objectOf(events: readonly Stripe.Event[], type: string): Record<string, unknown> {
  return eventOf(events, type).data.object as unknown as Record<string, unknown>
}

/** 2025-07-01T00:00:00Z: the end of the first monthly period of a subscription started at {@link T0}. */
export const JULY_1 = Date.UTC(2025, 6, 1) / 1000

/** What {@link startShop} gives a test. */
export type Shop = Awaited<ReturnType<typeof startShop>>

/** A shop with a subscribed customer. */
export interface Subscribed extends Shop {
  customer: Wire<Stripe.Customer>
  product: Wire<Stripe.Product>
  price: Wire<Stripe.Price>
  sub: SubscriptionResult
}

/** A shop with a customer (GB), a $49/month product and a subscription to it. */
export async function subscribed(
  options: { apiVersion?: string; trialDays?: number } = {},
): Promise<Subscribed> {
  const context = await startShop(options.apiVersion === undefined ? {} : { apiVersion: options.apiVersion })
  const { shop } = context
  const customer = shop.customer({ email: 'jane@example.com', name: 'Jane Doe', country: 'GB' })
  const { product, price } = shop.product({
    name: 'Pro plan',
    unitAmount: 4900,
    currency: 'usd',
    recurring: { interval: 'month' },
  })
  const sub = shop.subscribe({
    customer,
    price,
    ...(options.trialDays === undefined ? {} : { trialDays: options.trialDays }),
  })
  return { ...context, customer, product, price, sub }
}
