import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { ManualClock, StripeSimulator } from '../src/index.js'

interface Page {
  data: { id: string; created: number }[]
  has_more: boolean
}

const NOW = 1_750_000_000

/** A simulator holding events with the given `created` offsets (many share a second), in that insertion order. */
function simulatorWith(offsets: readonly number[]) {
  const sim = new StripeSimulator({ clock: new ManualClock(NOW * 1000), rateLimits: false, seed: 3 })
  const account = sim.createAccount()
  const key = sim.createKey({ account: account.id, kind: 'secret', mode: 'test' })
  for (const offset of offsets) {
    sim.createEvent({
      account: account.id,
      livemode: false,
      type: 'charge.succeeded',
      object: { id: 'ch_1', object: 'charge' },
      created: NOW - offset,
    })
  }
  const list = async (query: string): Promise<Page> => {
    const request = new Request(`https://api.stripe.com/v1/events?${query}`, {
      headers: { Authorization: `Bearer ${key}` },
    })
    return (await (await sim.handle(request)).json()) as Page
  }
  return { list }
}

describe('list pagination (property)', () => {
  it('walks every event exactly once, newest first, forwards with starting_after and backwards with ending_before', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 0, maxLength: 40 }),
        fc.integer({ min: 1, max: 7 }),
        async (offsets, limit) => {
          const { list } = simulatorWith(offsets)
          const full = await list('limit=100')
          const forward: Page['data'] = []
          let page = await list(`limit=${limit}`)
          forward.push(...page.data)
          while (page.has_more) {
            page = await list(`limit=${limit}&starting_after=${page.data.at(-1)?.id}`)
            forward.push(...page.data)
          }
          expect(forward.map((e) => e.id)).toEqual(full.data.map((e) => e.id))
          expect(forward).toHaveLength(offsets.length)
          for (let i = 1; i < forward.length; i++) {
            expect((forward[i] as { created: number }).created).toBeLessThanOrEqual(
              (forward[i - 1] as { created: number }).created,
            )
          }
          // From the oldest event, ending_before pages lead back to the newest, pages still newest first.
          const oldest = forward.at(-1)
          if (oldest === undefined) return
          const backward: string[] = []
          let cursor = oldest.id
          let more = true
          while (more) {
            const previous = await list(`limit=${limit}&ending_before=${cursor}`)
            backward.unshift(...previous.data.map((e) => e.id))
            more = previous.has_more
            cursor = previous.data[0]?.id ?? cursor
          }
          expect([...backward, oldest.id]).toEqual(forward.map((e) => e.id))
        },
      ),
      { numRuns: 60 },
    )
  })
})
