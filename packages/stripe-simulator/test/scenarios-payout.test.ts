import type Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { nth } from './helpers.js'
import { startShop, T0, typesOf } from './scenario-helpers.js'

const DAY = 86_400

/**
 * A live poller: each poll reads the events created since its last poll, with a 60 s overlap, and
 * keeps those it has not seen. An event created in the past, before that window, is never seen.
 */
function poller(client: Stripe, clock: { now(): number }) {
  const seen = new Set<string>()
  let lastPoll = Math.floor(clock.now() / 1000)
  return async (): Promise<string[]> => {
    const page = await client.events.list({ created: { gte: lastPoll - 60 }, limit: 100 })
    lastPoll = Math.floor(clock.now() / 1000)
    const fresh = page.data.filter((event) => !seen.has(event.id))
    for (const event of fresh) seen.add(event.id)
    return fresh.map((event) => event.type)
  }
}

describe('Business.payout', () => {
  it('creates payout.created at the clock and payout.paid only once the clock reaches the arrival date', async () => {
    const { shop, client, clock } = await startShop()
    const paid = shop.payout({ amount: 10_000, status: 'paid' })
    expect(typesOf(paid.events)).toEqual(['payout.created'])
    expect(nth(paid.events, 0).created).toBe(T0)
    expect(paid.payout).toMatchObject({ status: 'pending', created: T0, arrival_date: T0 + 2 * DAY })
    expect(paid.arrival).toMatchObject({ at: T0 + 2 * DAY, type: 'payout.paid', payout: { status: 'paid' } })
    expect(paid.balanceTransaction).toMatchObject({ amount: -10_000, type: 'payout', source: paid.payout.id })

    clock.set((T0 + 2 * DAY - 1) * 1000)
    expect((await client.payouts.retrieve(paid.payout.id)).status).toBe('pending')
    expect((await client.events.list()).data.map((e) => e.type)).toEqual(['payout.created'])

    clock.set((T0 + 3 * DAY) * 1000)
    expect((await client.payouts.retrieve(paid.payout.id)).status).toBe('paid')
    const events = (await client.events.list()).data
    expect(events.map((e) => [e.type, e.created])).toEqual([
      ['payout.paid', T0 + 2 * DAY],
      ['payout.created', T0],
    ])
    expect((await client.balanceTransactions.retrieve(paid.balanceTransaction.id)).net).toBe(-10_000)
  })

  it('does not back-date payout events: a poller reading since its last poll with a 60 s overlap sees both', async () => {
    const { shop, client, clock } = await startShop()
    const poll = poller(client, clock)
    expect(await poll()).toEqual([])
    shop.payout({ amount: 5_000, status: 'paid' })
    expect(await poll()).toEqual(['payout.created'])
    clock.advance(2 * DAY * 1000 + 30_000)
    expect(await poll()).toEqual(['payout.paid'])
  })

  it('fails a payout on its arrival date with its failure code, message and returning balance transaction', async () => {
    const { shop, client, clock, sim, account } = await startShop()
    const failed = shop.payout({ amount: 5000, status: 'failed', failureCode: 'no_account' })
    const arrival = failed.arrival
    expect(arrival.type).toBe('payout.failed')
    expect(arrival.payout).toMatchObject({
      status: 'failed',
      failure_code: 'no_account',
      failure_message: expect.stringContaining('No bank account'),
      failure_balance_transaction: arrival.failureBalanceTransaction?.id,
    })
    expect(arrival.failureBalanceTransaction).toMatchObject({ amount: 5000, type: 'payout_failure' })
    // Nothing of the failure exists before the arrival date, in the API or the store.
    expect((await client.payouts.list({ status: 'failed' })).data).toEqual([])
    clock.set(arrival.at * 1000)
    expect(sim.store(account.id, false).get('payout', failed.payout.id)?.status).toBe('failed')
    expect((await client.payouts.list({ status: 'failed' })).data.map((p) => p.id)).toEqual([
      failed.payout.id,
    ])
    expect((await client.events.list({ type: 'payout.failed' })).data.map((e) => e.created)).toEqual([
      arrival.at,
    ])
  })

  it('settles a payout when the bank confirms it (settledAt), its arrival date kept', async () => {
    const { shop, client, clock } = await startShop()
    const paid = shop.payout({ amount: 10_000, at: T0 - 2 * DAY, settledAt: T0 + 30 })
    expect(paid.arrival.at).toBe(T0 + 30)
    expect(paid.payout.arrival_date).toBeLessThanOrEqual(T0)
    const read = poller(client, clock)
    expect(await read()).toEqual([])
    clock.advance(31_000)
    expect(await read()).toEqual(['payout.paid'])
  })

  it('keeps the ids of a payout and its arrival the same for a seed, whatever reads happen in between', async () => {
    const run = async (reads: boolean) => {
      const { shop, client, clock } = await startShop({ seed: 11 })
      const made = shop.payout({ amount: 2500, status: 'paid' })
      if (reads) await client.events.list()
      clock.advance(3 * DAY * 1000)
      if (reads) await client.events.list()
      const sale = shop.sale({ amount: 1000, currency: 'usd' })
      return [made.payout.id, sale.charge.id, ...(await client.events.list()).data.map((e) => e.id)]
    }
    expect(await run(true)).toEqual(await run(false))
  })
})
