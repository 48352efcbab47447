// The simulator keeps Stripe's example objects internal; its sources are at hand in this repository.

import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { fixture } from '../../stripe-simulator/src/fixtures/index.js'
import type { CashNotifyError, Notification } from '../src/index.js'
import { CURRENT_VERSION, type Shop, shop } from './enrich-helpers.js'
import { START } from './polling-helpers.js'

let current: Shop | undefined

/** A shop whose notifications reach a recording notifier, and whose errors are kept. */
async function open(): Promise<Shop & { sent: Notification[]; errors: CashNotifyError[] }> {
  const s = await shop()
  current = s
  const sent: Notification[] = []
  const errors: CashNotifyError[] = []
  s.cn.use({ name: 'sink', send: async (n) => void sent.push(n) })
  s.cn.on('error', (error) => void errors.push(error))
  return Object.assign(s, { sent, errors })
}

beforeEach(() => {
  vi.useFakeTimers({ now: START })
})
afterEach(async () => {
  await current?.cn.stop()
  current = undefined
  vi.useRealTimers()
})

type Json = Record<string, unknown>
const nowSeconds = (): number => Math.floor(Date.now() / 1000)

/** A raw Stripe event whose object is a fixture with some fields replaced. */
function poison(s: Shop, type: string, kind: Parameters<typeof fixture>[0], fields: Json): void {
  const object = { ...(structuredClone(fixture(kind)) as unknown as Json), ...fields }
  s.sim.createEvent({
    account: s.accountId,
    livemode: false,
    type,
    object: object as never,
    created: nowSeconds(),
  })
}

describe('one bad event never stops an account', () => {
  it.each([
    [
      'a payout.paid whose arrival_date is 1e15',
      'payout.paid',
      'payout',
      { arrival_date: 1e15 },
      'arrivalDate',
    ],
    [
      'a trial_will_end whose trial_end is 1e16',
      'customer.subscription.trial_will_end',
      'subscription',
      { trial_end: 1e16 },
      'trialEnd',
    ],
    [
      'a dispute whose evidence is due by 1e15',
      'charge.dispute.created',
      'dispute',
      { evidence_details: { due_by: 1e15, has_evidence: false, past_due: false, submission_count: 0 } },
      'evidenceDueBy',
    ],
  ] as const)(
    'notifies %s without the impossible date, and the next sale arrives',
    async (_name, type, kind, fields, field) => {
      const s = await open()
      poison(s, type, kind, fields)
      await s.run(2_000)
      const later = s.sim
        .business(s.accountId, { apiVersion: CURRENT_VERSION })
        .sale({ amount: 2_500, currency: 'usd' })
      await s.run(5_000)
      const odd = s.domain.find((e) => e.stripeEvents.some((raw) => raw.type === type))
      expect(odd?.unavailable[field]).toMatch(/no plausible date/)
      expect(s.of('sale').map((e) => e.id)).toEqual([`sale:${later.paymentIntent.id}`])
      expect(s.sent.map((n) => n.id)).toContain(`sale:${later.paymentIntent.id}`)
    },
  )

  it.each([
    ['an amount beyond what Stripe allows', { amount: 1e15, currency: 'usd' }, /more than Stripe allows/],
    ['an unknown currency', { amount: 1_000, currency: 'xyz' }, /unknown currency "xyz"/],
  ])('reports %s once and notifies no sale of it', async (_name, fields, reason) => {
    const s = await open()
    poison(s, 'payout.paid', 'payout', { ...fields, arrival_date: nowSeconds() })
    await s.run(2_000)
    const later = s.sim
      .business(s.accountId, { apiVersion: CURRENT_VERSION })
      .sale({ amount: 2_500, currency: 'usd' })
    await s.run(5_000)
    expect(s.of('payout.paid')).toEqual([])
    const rejected = s.errors.filter((e) => e.code === 'event_rejected')
    expect(rejected).toHaveLength(1)
    expect(rejected[0]?.message).toMatch(reason)
    expect(s.sent.map((n) => n.id)).toEqual([`sale:${later.paymentIntent.id}`])
  })
})

/** Values that have broken consumers of real events: huge, negative, of the wrong type. */
const HOSTILE = [
  1e15,
  1e16,
  -1e15,
  Number.MAX_SAFE_INTEGER,
  -1,
  0,
  'xyz',
  '',
  null,
  [],
  {},
  true,
  '9'.repeat(400),
]

describe('a property: no single event can stop a later sale from arriving', () => {
  it('holds for real event shapes with any field replaced by a hostile value', async () => {
    const s = await open()
    const biz = s.sim.business(s.accountId, { apiVersion: CURRENT_VERSION })
    const jane = biz.customer({ email: 'jane@example.com', country: 'US' })
    const { price } = biz.product({ name: 'Pro', unitAmount: 900, recurring: { interval: 'month' } })
    const shapes = [
      ...biz.sale({ customer: jane, amount: 4_900, currency: 'usd' }).events,
      ...biz.subscribe({ customer: jane, price }).events,
      ...biz.payout({ amount: 10_000, status: 'paid', at: nowSeconds() }).events,
    ]
    await s.run(3_000)
    let round = 0
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...shapes),
        fc.nat(),
        fc.constantFrom(...HOSTILE),
        async (shape, pick, value) => {
          round++
          const object = structuredClone(shape.data.object) as unknown as Json
          // Stripe never sends an object without its id, of another kind, or of the other mode.
          const keys = Object.keys(object).filter((key) => !['id', 'object', 'livemode'].includes(key))
          const key = keys[pick % keys.length] ?? 'amount'
          object[key] = value
          object.id = `${String(object.id)}_m${round}`
          s.sim.createEvent({
            account: s.accountId,
            livemode: false,
            type: shape.type,
            object: object as never,
          })
          const sale = biz.sale({ amount: 1_000 + round, currency: 'usd' })
          await s.run(4_000)
          expect(s.sent.map((n) => n.id)).toContain(`sale:${sale.paymentIntent.id}`)
        },
      ),
      { numRuns: 40, seed: 11 },
    )
  }, 60_000)
})
