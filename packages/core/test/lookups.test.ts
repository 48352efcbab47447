import { describe, expect, it } from 'vitest'
import { StripeLookups } from '../src/enrich/lookups.js'
import { MissingPermissionError } from '../src/index.js'
import type { StripeGateway } from '../src/stripe/client.js'

/** A gateway that answers every read itself, after a tick, and records what was asked. */
function countingGateway(
  answer: (endpoint: string) => unknown = () => ({ id: 'obj_1', object: 'customer' }),
) {
  const calls: string[] = []
  const gateway = {
    call: async (endpoint: string) => {
      calls.push(endpoint)
      await Promise.resolve()
      const value = answer(endpoint)
      if (value instanceof Error) throw value
      return value
    },
  } as unknown as StripeGateway
  return { gateway, calls }
}

describe('enrichment look-ups', () => {
  it('share one read between concurrent look-ups of the same object', async () => {
    const { gateway, calls } = countingGateway()
    const lookups = new StripeLookups(gateway)
    const found = await Promise.all([
      lookups.customer('cus_1'),
      lookups.customer('cus_1'),
      lookups.customer('cus_1'),
    ])
    expect(found.every((f) => f.ok)).toBe(true)
    expect(calls).toEqual(['GET /v1/customers/:id'])
  })

  it('read an object again once its time to live has passed, not before', async () => {
    const { gateway, calls } = countingGateway()
    let now = 0
    const lookups = new StripeLookups(gateway, { ttlMs: 60_000 }, () => now)
    await lookups.customer('cus_1')
    now = 59_999
    await lookups.customer('cus_1')
    expect(calls).toHaveLength(1)
    now = 60_001
    await lookups.customer('cus_1')
    expect(calls).toHaveLength(2)
  })

  it('keep at most maxSize objects of a kind, the least recently used leaving first', async () => {
    const { gateway, calls } = countingGateway()
    const lookups = new StripeLookups(gateway, { maxSize: 2 })
    await lookups.product('prod_a')
    await lookups.product('prod_b')
    await lookups.product('prod_a') // a is now the most recently used
    await lookups.product('prod_c') // b leaves
    expect(calls).toHaveLength(3)
    await lookups.product('prod_a')
    expect(calls).toHaveLength(3)
    await lookups.product('prod_b')
    expect(calls).toHaveLength(4)
  })

  it('do not ask again for a permission Stripe just refused', async () => {
    const refused = new MissingPermissionError('no', { permission: 'rak_customer_read' })
    const { gateway, calls } = countingGateway(() => refused)
    let now = 0
    const lookups = new StripeLookups(gateway, {}, () => now)
    const first = await lookups.customer('cus_1')
    const second = await lookups.customer('cus_2')
    expect([first.ok, second.ok]).toEqual([false, false])
    expect(second.ok ? '' : second.reason).toBe('missing permission rak_customer_read')
    expect(calls).toHaveLength(1)
    now = 11 * 60_000
    await lookups.customer('cus_3')
    expect(calls).toHaveLength(2)
  })
})
