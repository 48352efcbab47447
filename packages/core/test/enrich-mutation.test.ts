import { StripeSimulator } from '@cashnotify/stripe-simulator'
import fc from 'fast-check'
import { Keyv } from 'keyv'
import type Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
// The simulator keeps Stripe's example objects internal; its sources are at hand in this repository.
import { fixture } from '../../stripe-simulator/src/fixtures/index.js'
import { Enricher } from '../src/enrich/enricher.js'
import { StripeLookups } from '../src/enrich/lookups.js'
import { parseKey } from '../src/index.js'
import { StripeGateway } from '../src/stripe/client.js'
import { RequestBudget } from '../src/stripe/request-budget.js'
import { sampleAccount } from '../src/testing/index.js'
import { ALL_PERMISSIONS } from './helpers.js'

/**
 * Enrichment must never throw, whatever shape an event has: Stripe's fixtures of every object an event
 * can carry, mutated at random (fields removed, nulled, replaced by the wrong type, ids expanded into
 * objects and objects collapsed into ids), under every event type CashNotify reads and some it does not.
 */
const EVENT_OBJECTS = {
  'payment_intent.succeeded': 'payment_intent',
  'payment_intent.payment_failed': 'payment_intent',
  'charge.succeeded': 'charge',
  'charge.captured': 'charge',
  'charge.updated': 'charge',
  'charge.failed': 'charge',
  'charge.refunded': 'charge',
  'charge.dispute.created': 'dispute',
  'charge.dispute.closed': 'dispute',
  'invoice.paid': 'invoice',
  'invoice.payment_succeeded': 'invoice',
  'invoice.payment_failed': 'invoice',
  'invoice_payment.paid': 'invoice_payment',
  'checkout.session.completed': 'checkout.session',
  'customer.subscription.created': 'subscription',
  'customer.subscription.updated': 'subscription',
  'customer.subscription.deleted': 'subscription',
  'customer.subscription.trial_will_end': 'subscription',
  'payout.paid': 'payout',
  'payout.failed': 'payout',
  'refund.created': 'refund',
  'customer.deleted': 'customer',
  'radar.early_fraud_warning.created': 'charge',
  'something.new_in_2027': 'product',
} as const

type Json = Record<string, unknown>

/** A random change at a random path of a JSON value. */
const mutation = fc.record({
  depth: fc.integer({ min: 0, max: 3 }),
  pick: fc.nat(),
  change: fc.constantFrom('delete', 'null', 'string', 'number', 'array', 'object', 'id', 'expand'),
})

function mutate(value: Json, { depth, pick, change }: { depth: number; pick: number; change: string }): Json {
  let target: Json = value
  for (let level = 0; level < depth; level++) {
    const nested = Object.values(target).filter(
      (v): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v),
    )
    const next = nested[pick % Math.max(nested.length, 1)]
    if (!next) break
    target = next
  }
  const keys = Object.keys(target)
  const key = keys[pick % Math.max(keys.length, 1)]
  if (key === undefined) return value
  const replacements: Record<string, () => unknown> = {
    delete: () => undefined,
    null: () => null,
    string: () => 'unexpected',
    number: () => -1,
    array: () => [1, null, 'x'],
    object: () => ({ object: 'list', data: [null, { id: 42 }], has_more: true }),
    id: () => (typeof target[key] === 'object' ? 'cus_DoesNotExist' : target[key]),
    expand: () => (typeof target[key] === 'string' ? { id: target[key], deleted: true } : target[key]),
  }
  const replaced = replacements[change]?.()
  if (change === 'delete') delete target[key]
  else target[key] = replaced
  return value
}

describe('enrichment over mutated fixtures', () => {
  it('never throws and only emits well-formed domain events', async () => {
    const sim = new StripeSimulator({ seed: 5, rateLimits: false })
    const account = sim.createAccount({ businessName: 'Mutant Inc' }).id
    const key = sim.createKey({ account, kind: 'restricted', mode: 'test', permissions: ALL_PERMISSIONS })
    const inProcess = ((input: RequestInfo | URL, init?: RequestInit) =>
      sim.handle(new Request(input, init))) as typeof fetch
    const gateway = new StripeGateway(
      parseKey(key),
      new RequestBudget('test', { testPerSecond: 10_000, perEndpointPerSecond: 10_000 }),
      { fetch: inProcess },
      { retries: 0 },
    )
    const types = Object.keys(EVENT_OBJECTS) as Array<keyof typeof EVENT_OBJECTS>
    let emitted = 0

    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({ type: fc.constantFrom(...types), mutations: fc.array(mutation, { maxLength: 6 }) }),
          {
            minLength: 1,
            maxLength: 6,
          },
        ),
        async (specs) => {
          const enricher = new Enricher({
            ref: `${account}/test`,
            account: () => sampleAccount(),
            lookups: new StripeLookups(gateway),
            store: new Keyv(),
            settleMs: 0,
            now: Date.now,
          })
          const events = specs.map(({ type, mutations }, i) => {
            let object = structuredClone(fixture(EVENT_OBJECTS[type])) as unknown as Json
            for (const m of mutations) object = mutate(object, m)
            return {
              id: `evt_mut${i}`,
              object: 'event',
              api_version: i % 2 === 0 ? '2024-06-20' : '2026-10-28.endive',
              created: Math.floor(Date.now() / 1000) - 60,
              data: {
                object,
                ...(i % 3 === 0
                  ? { previous_attributes: { amount_refunded: 0, cancel_at_period_end: false } }
                  : {}),
              },
              livemode: false,
              pending_webhooks: 0,
              request: { id: null, idempotency_key: null },
              type,
            } as unknown as Stripe.Event
          })
          const result = await enricher.process(events, false)
          await result.commit()
          for (const event of result.events) {
            emitted++
            expect(event.id).toMatch(/^[a-z_.]+:/)
            expect(event.createdAt).toBeInstanceOf(Date)
            expect(typeof event.unavailable).toBe('object')
            if ('amount' in event) {
              expect(Number.isInteger(event.amount.amount)).toBe(true)
              expect(event.amount.formatted).not.toContain('NaN')
            }
          }
        },
      ),
      { numRuns: 300, seed: 20261127 },
    )
    gateway.close()
    // The unmutated fixtures alone make domain events: the property is not vacuous.
    expect(emitted).toBeGreaterThan(50)
  }, 60_000)
})
