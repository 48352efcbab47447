import { StripeSimulator } from '@cashnotify/stripe-simulator'
import { Keyv } from 'keyv'
import type Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { Enricher } from '../src/enrich/enricher.js'
import { StripeLookups } from '../src/enrich/lookups.js'
import { parseKey } from '../src/index.js'
import { StripeGateway } from '../src/stripe/client.js'
import { RequestBudget } from '../src/stripe/request-budget.js'
import { sampleAccount } from '../src/testing/index.js'
import { ALL_PERMISSIONS } from './helpers.js'

function setup(now: () => number = Date.now, settleMs = 0) {
  const sim = new StripeSimulator({ seed: 3, rateLimits: false })
  const account = sim.createAccount({ businessName: 'Late Fees Inc' }).id
  const key = sim.createKey({ account, kind: 'restricted', mode: 'test', permissions: ALL_PERMISSIONS })
  const inProcess = ((input: RequestInfo | URL, init?: RequestInit) =>
    sim.handle(new Request(input, init))) as typeof fetch
  const gateway = new StripeGateway(
    parseKey(key),
    new RequestBudget('test', { testPerSecond: 10_000, perEndpointPerSecond: 10_000 }),
    { fetch: inProcess },
    { retries: 0 },
  )
  const enricher = new Enricher({
    ref: `${account}/test`,
    account: () => sampleAccount(),
    lookups: new StripeLookups(gateway),
    store: new Keyv(),
    settleMs,
    now,
  })
  return { enricher, biz: sim.business(account, { shuffle: false }) }
}

describe('a balance transaction that comes later', () => {
  it('is used when the charge.updated that carries it arrives in the same poll and second, in any order', async () => {
    const { enricher, biz } = setup()
    const fees: Array<number | undefined> = []
    for (let i = 0; i < 20; i++) {
      const paid = biz.sale({ amount: 1_000 + i, currency: 'usd', balanceTransactionLater: true })
      // All in one second, the update first half of the time and last the other half.
      const second = paid.events[0]?.created ?? 0
      const events: Stripe.Event[] = paid.events.map((event) => ({ ...event, created: second }))
      if (i % 2 === 0) events.reverse()
      const result = await enricher.process(events, false)
      await result.commit()
      const sale = result.events.find((event) => event.type === 'sale')
      fees.push(sale && 'fee' in sale ? sale.fee?.amount : undefined)
      expect(sale && 'fee' in sale ? sale.fee?.amount : undefined).toBe(paid.balanceTransaction.fee)
    }
    expect(fees.every((fee) => fee !== undefined)).toBe(true)
  })

  it('is waited for when its charge.updated comes polls after the rest of the payment', async () => {
    let now = Date.now()
    const { enricher, biz } = setup(() => now, 2_000)
    const paid = biz.sale({ amount: 1_000, currency: 'usd', balanceTransactionLater: true })
    const update = paid.events.filter((event) => event.type === 'charge.updated')
    const rest = paid.events.filter((event) => event.type !== 'charge.updated')
    const run = async (events: typeof paid.events) => {
      const result = await enricher.process(events, false)
      await result.commit()
      return result.events.filter((event) => event.type === 'sale')
    }
    expect(await run(rest)).toEqual([])
    now += 10_000 // the payment settled long ago: still no sale without its fee
    expect(await run([])).toEqual([])
    now += 5_000
    const [sale] = await run(update)
    expect(sale && 'fee' in sale ? sale.fee?.amount : undefined).toBe(paid.balanceTransaction.fee)
  })
})
