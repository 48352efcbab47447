import { Keyv } from 'keyv'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { AccountStatusChange, Gap } from '../src/index.js'
import {
  advance,
  assertOncePerAccountInOrder,
  business,
  charges,
  fakeTimeSimulator,
  START,
  watcher,
} from './polling-helpers.js'

const DAY = 24 * 3600 * 1000
const now = (): number => Math.floor(Date.now() / 1000)

beforeEach(() => {
  vi.useFakeTimers({ now: START })
})
afterEach(() => {
  vi.useRealTimers()
})

describe('backfill and steady polling', () => {
  it('emits the last 50 events as backfill, oldest first, then each new event once', async () => {
    const { sim, fetch } = fakeTimeSimulator()
    const shop = business(sim)
    for (let i = 0; i < 60; i++) {
      charges(sim, shop.id, 1, { created: now() - 600 + i * 5 })
    }
    const { cn, seen } = watcher(fetch)
    await cn.addAccount({ apiKey: shop.key })
    await cn.start()
    await advance(0)
    expect(seen).toHaveLength(50)
    expect(seen.every((e) => e.backfill)).toBe(true)
    expect(seen.map((e) => e.created)).toEqual([...seen.map((e) => e.created)].sort((a, b) => a - b))

    const fresh = charges(sim, shop.id, 3)
    await advance(1_000)
    expect(seen.slice(50).map((e) => e.id)).toEqual(fresh.map((e) => e.id))
    expect(seen.slice(50).every((e) => !e.backfill)).toBe(true)
    await cn.stop()
  })

  it('counts as new only what happens after the account is added, even with backfill 0', async () => {
    const { sim, fetch } = fakeTimeSimulator()
    const shop = business(sim)
    charges(sim, shop.id, 3, { created: now() - 20 })
    const { cn, seen } = watcher(fetch, { backfill: 0 })
    await cn.addAccount({ apiKey: shop.key })
    await advance(5_000)
    const after = charges(sim, shop.id, 2)
    await cn.start()
    await advance(0)
    expect(seen.map((e) => e.id)).toEqual(after.map((e) => e.id))
    await cn.stop()
  })

  it('costs one request per poll in steady state, and polls at the interval', async () => {
    const { sim, fetch } = fakeTimeSimulator()
    const shop = business(sim)
    const { cn, seen } = watcher(fetch, { pollInterval: 2_000 })
    await cn.addAccount({ apiKey: shop.key })
    await cn.start()
    await advance(0)
    const before = sim.requests.byEndpoint('GET /v1/events')
    for (let poll = 0; poll < 10; poll++) {
      charges(sim, shop.id, 2)
      await advance(2_000)
    }
    expect(sim.requests.byEndpoint('GET /v1/events') - before).toBe(10)
    expect(seen).toHaveLength(20)
    assertOncePerAccountInOrder(seen)
    await cn.stop()
  })

  it('spreads its polls by up to a tenth of the interval either way', async () => {
    const { sim, fetch } = fakeTimeSimulator()
    const shop = business(sim)
    const sequence = [0, 0.999, 0.5, 0.25, 0.75]
    let draw = 0
    const { cn } = watcher(fetch, {
      pollInterval: 2_000,
      random: () => sequence[draw++ % sequence.length] ?? 0.5,
    })
    await cn.addAccount({ apiKey: shop.key })
    await cn.start()
    await advance(30_000)
    await cn.stop()
    // One moment per poll (the first poll reads the backfill too, at the same moment).
    const polls = [
      ...new Set(sim.requests.log.filter((e) => e.endpoint === 'GET /v1/events').map((e) => e.at)),
    ]
    const gaps = polls.slice(2).map((at, i) => at - (polls[i + 1] ?? at))
    expect(Math.min(...gaps)).toBeLessThan(1_850)
    expect(Math.max(...gaps)).toBeGreaterThan(2_150)
    expect(gaps.every((gap) => gap >= 1_800 && gap <= 2_200)).toBe(true)
  })

  it('emits a same-second burst once each, across several polls', async () => {
    const { sim, fetch } = fakeTimeSimulator()
    const shop = business(sim)
    const { cn, seen } = watcher(fetch)
    await cn.addAccount({ apiKey: shop.key })
    await cn.start()
    await advance(0)
    const second = now()
    const burst = charges(sim, shop.id, 40, { created: second })
    await advance(1_000)
    const late = charges(sim, shop.id, 15, { created: second })
    await advance(1_000)
    await advance(1_000)
    expect(new Set(seen.map((e) => e.id))).toEqual(new Set([...burst, ...late].map((e) => e.id)))
    assertOncePerAccountInOrder(seen)
    await cn.stop()
  })

  it('catches an event created behind the newest one already emitted', async () => {
    const { sim, fetch } = fakeTimeSimulator()
    const shop = business(sim)
    const { cn, seen } = watcher(fetch)
    await cn.addAccount({ apiKey: shop.key })
    await cn.start()
    // Well after the account was added, so that 20 s behind is still after it.
    await advance(30_000)
    charges(sim, shop.id, 3)
    await advance(5_000)
    const [behind] = charges(sim, shop.id, 1, { created: now() - 20 })
    await advance(1_000)
    expect(seen.filter((e) => e.id === behind?.id)).toHaveLength(1)
    expect(seen).toHaveLength(4)
    await cn.stop()
  })
})

describe('catch-up and the 30-day gap', () => {
  it('catches up 1,000 events over many pages after a long stop, each once and in order', async () => {
    const { sim, fetch } = fakeTimeSimulator()
    const shop = business(sim)
    const store = new Keyv()
    const first = watcher(fetch, { store })
    await first.cn.addAccount({ apiKey: shop.key })
    await first.cn.start()
    await advance(0)
    await first.cn.stop()

    vi.setSystemTime(Date.now() + 2 * 3600 * 1000)
    const created = Array.from(
      { length: 1000 },
      (_, i) => charges(sim, shop.id, 1, { created: now() - 7000 + i * 7 })[0],
    )
    const second = watcher(fetch, { store })
    await second.cn.addAccount({ apiKey: shop.key })
    const before = sim.requests.byEndpoint('GET /v1/events')
    await second.cn.start()
    await advance(0)
    expect(second.seen.map((e) => e.id)).toEqual(created.map((e) => e?.id))
    expect(second.seen.every((e) => !e.backfill)).toBe(true)
    expect(sim.requests.byEndpoint('GET /v1/events') - before).toBe(10)
    // Older pages were walked to with Stripe's cursor, not with time windows.
    const pages = sim.requests.log.filter(
      (e) => e.endpoint === 'GET /v1/events' && e.params.includes('starting_after'),
    )
    expect(pages).toHaveLength(9)
    await second.cn.stop()
  })

  it('walks forward with ending_before when a catch-up is longer than it holds in memory', async () => {
    const { sim, fetch } = fakeTimeSimulator()
    const shop = business(sim)
    const store = new Keyv()
    const first = watcher(fetch, { store, backfill: 0 })
    await first.cn.addAccount({ apiKey: shop.key })
    await first.cn.start()
    await advance(0)
    await first.cn.stop()
    vi.setSystemTime(Date.now() + 3600 * 1000)
    for (let i = 0; i < 2_500; i++) charges(sim, shop.id, 1, { created: now() - 3000 + Math.floor(i) })
    const second = watcher(fetch, { store })
    await second.cn.addAccount({ apiKey: shop.key })
    const before = sim.requests.byEndpoint('GET /v1/events')
    let requestsForCatchUp = 0
    second.cn.on('stripe.event', () => {
      if (second.seen.length === 2_500)
        requestsForCatchUp = sim.requests.byEndpoint('GET /v1/events') - before
    })
    await second.cn.start()
    // 45 requests take more than two seconds of a 20 requests/s test-mode budget.
    await advance(3_000)
    expect(second.seen).toHaveLength(2_500)
    assertOncePerAccountInOrder(second.seen)
    // 25 pages back (only the oldest 5 kept), then 20 pages forward from them.
    expect(requestsForCatchUp).toBe(45)
    const cursors = (param: string): number =>
      sim.requests.log.filter((e) => e.endpoint === 'GET /v1/events' && e.params.includes(param)).length
    expect([cursors('starting_after'), cursors('ending_before')]).toEqual([24, 20])
    expect(sim.requests.rateLimited).toBe(0)
    await second.cn.stop()
  })

  it('emits a gap for a cursor older than 30 days and resumes from the oldest event still there', async () => {
    const { sim, fetch } = fakeTimeSimulator()
    const shop = business(sim)
    const store = new Keyv()
    const first = watcher(fetch, { store })
    await first.cn.addAccount({ apiKey: shop.key })
    await first.cn.start()
    await advance(0)
    await first.cn.stop()
    const stoppedAt = Date.now()

    charges(sim, shop.id, 5, { created: now() + 3600 }) // expire with the 30 days
    vi.setSystemTime(stoppedAt + 40 * DAY)
    const kept = charges(sim, shop.id, 4, { created: now() - 5 * 24 * 3600 })
    const second = watcher(fetch, { store })
    const gaps: Gap[] = []
    second.cn.on('gap', (gap) => void gaps.push(gap))
    await second.cn.addAccount({ apiKey: shop.key })
    await second.cn.start()
    await advance(0)
    expect(gaps).toHaveLength(1)
    expect(gaps[0]?.from.getTime()).toBe(stoppedAt - 60_000)
    expect(gaps[0]?.to.getTime()).toBe(Date.now() - 30 * DAY)
    expect(second.seen.map((e) => e.id)).toEqual(kept.map((e) => e.id))
    await advance(1_000)
    expect(gaps).toHaveLength(1)
    await second.cn.stop()
  })
})

describe('restarts', () => {
  it('resumes after a clean stop with the same store: no miss, no repeat', async () => {
    const { sim, fetch } = fakeTimeSimulator()
    const shop = business(sim)
    const store = new Keyv()
    const all: string[] = []
    for (let run = 0; run < 3; run++) {
      const { cn, seen } = watcher(fetch, { store })
      await cn.addAccount({ apiKey: shop.key })
      await cn.start()
      charges(sim, shop.id, 7)
      await advance(1_000)
      charges(sim, shop.id, 2)
      await advance(1_000)
      await cn.stop()
      charges(sim, shop.id, 3) // created while stopped
      all.push(...seen.map((e) => e.id))
    }
    const { cn, seen } = watcher(fetch, { store })
    await cn.addAccount({ apiKey: shop.key })
    await cn.start()
    await advance(0)
    all.push(...seen.map((e) => e.id))
    await cn.stop()
    expect(new Set(all).size).toBe(all.length)
    expect(all).toHaveLength(36)
  })

  it('re-reads, and emits once, what a run that died between fetching and emitting had fetched', async () => {
    const { sim, fetch } = fakeTimeSimulator()
    const shop = business(sim)
    const store = new Keyv()
    const first = watcher(fetch, { store })
    await first.cn.addAccount({ apiKey: shop.key })
    await first.cn.start()
    await advance(0)
    const lost = charges(sim, shop.id, 5)
    // The process "dies" after Stripe answered the next poll and before anything was emitted or saved:
    // the store refuses every write from then on, and the instance is abandoned without stop().
    const realSet = store.set.bind(store)
    store.set = (async () => true) as typeof store.set
    first.cn.off('stripe.event')
    await advance(1_000)
    await first.cn.stop()
    store.set = realSet

    const second = watcher(fetch, { store })
    await second.cn.addAccount({ apiKey: shop.key })
    await second.cn.start()
    await advance(0)
    expect(second.seen.map((e) => e.id)).toEqual(lost.map((e) => e.id))
    await second.cn.stop()
  })

  it('stop() leaves no timer behind, and start() continues where it stopped', async () => {
    const { sim, fetch } = fakeTimeSimulator()
    const shop = business(sim)
    const { cn, seen } = watcher(fetch)
    await cn.addAccount({ apiKey: shop.key })
    await cn.start()
    await advance(1_000)
    await cn.stop()
    expect(vi.getTimerCount()).toBe(0)
    const whileStopped = charges(sim, shop.id, 4)
    const requests = sim.requests.total
    await advance(10_000)
    expect(sim.requests.total).toBe(requests)
    await cn.start()
    await advance(0)
    expect(seen.map((e) => e.id)).toEqual(whileStopped.map((e) => e.id))
    await cn.stop()
  })
})

describe('failures', () => {
  async function running(options: Parameters<typeof watcher>[1] = {}) {
    const { sim, fetch } = fakeTimeSimulator()
    const shop = business(sim)
    const w = watcher(fetch, options)
    const statuses: AccountStatusChange[] = []
    w.cn.on('account.status', (change) => void statuses.push(change))
    await w.cn.addAccount({ apiKey: shop.key })
    await w.cn.start()
    await advance(0)
    return { sim, shop, ...w, statuses }
  }

  it.each([
    ['a 429', { kind: 'rate_limit' }, 'rate_limited'],
    ['a 503', { kind: 'server_error', status: 503 }, 'stripe_unavailable'],
    ['a connection reset', { kind: 'reset' }, 'stripe_unavailable'],
    ['a malformed body', { kind: 'malformed' }, 'stripe_unavailable'],
  ] as const)('recovers by itself from %s, losing nothing', async (_name, fault, status) => {
    const { sim, shop, cn, seen, statuses } = await running()
    sim.faults.add({ ...fault, endpoint: 'GET /v1/events', times: 3 })
    const during = charges(sim, shop.id, 3)
    await advance(1_000)
    expect(statuses.map((s) => s.status)).toEqual([status])
    await advance(60_000)
    expect(statuses.map((s) => s.status)).toEqual([status, 'active'])
    expect(seen.map((e) => e.id)).toEqual(during.map((e) => e.id))
    await cn.stop()
  })

  it('recovers from requests that time out', async () => {
    const { sim, fetch } = fakeTimeSimulator()
    const shop = business(sim)
    const { cn, seen } = watcher(fetch, { stripe: { fetch, timeout: 2_000 } })
    const statuses: string[] = []
    cn.on('account.status', ({ status }) => void statuses.push(status))
    await cn.addAccount({ apiKey: shop.key })
    await cn.start()
    await advance(0)
    sim.faults.add({ kind: 'delay', delayMs: 30_000, endpoint: 'GET /v1/events', times: 2 })
    const during = charges(sim, shop.id, 2)
    await advance(3_500)
    expect(statuses).toEqual(['stripe_unavailable'])
    await advance(60_000)
    expect(statuses).toEqual(['stripe_unavailable', 'active'])
    expect(seen.map((e) => e.id)).toEqual(during.map((e) => e.id))
    await cn.stop()
  })

  it('backs off while Stripe is down, no further than a few poll intervals', async () => {
    const { sim, cn } = await running({ maxBackoff: 300_000 })
    sim.faults.add({ kind: 'server_error', endpoint: 'GET /v1/events', times: Number.POSITIVE_INFINITY })
    const before = sim.requests.byEndpoint('GET /v1/events')
    await advance(60_000)
    // 0.75 s, 1.5 s, then three quarters of 4 s (the outage ceiling: 4 poll intervals), again and again.
    const polls = sim.requests.byEndpoint('GET /v1/events') - before
    expect(polls).toBeGreaterThan(15)
    expect(polls).toBeLessThan(25)
    await cn.stop()
  })

  it('recovers within a few poll intervals of Stripe returning after a long outage', async () => {
    const { sim, shop, cn, seen, statuses } = await running({ maxBackoff: 300_000 })
    const outage = sim.faults.add({ kind: 'server_error', times: Number.POSITIVE_INFINITY })
    await advance(60_000)
    expect(statuses.map((s) => s.status)).toEqual(['stripe_unavailable'])
    outage.remove()
    const during = charges(sim, shop.id, 1)
    await advance(4_000)
    expect(statuses.map((s) => s.status)).toEqual(['stripe_unavailable', 'active'])
    expect(seen.map((e) => e.id)).toEqual(during.map((e) => e.id))
    await cn.stop()
  })

  it('backs off to maxBackoff while Stripe rate-limits the account', async () => {
    const { sim, cn } = await running({ maxBackoff: 8_000, retry: { retries: 0 } })
    sim.faults.add({ kind: 'rate_limit', endpoint: 'GET /v1/events', times: Number.POSITIVE_INFINITY })
    const before = sim.requests.byEndpoint('GET /v1/events')
    await advance(60_000)
    // 0.75 s, 1.5 s, 3 s, 6 s, then three quarters of 8 s and more: far fewer tries than during an outage.
    const polls = sim.requests.byEndpoint('GET /v1/events') - before
    expect(polls).toBeGreaterThan(6)
    expect(polls).toBeLessThan(15)
    await cn.stop()
  })

  it('stops polling an account whose key is revoked, and says so', async () => {
    const { sim, shop, cn, statuses, errors } = await running()
    sim.revokeKey(shop.key)
    await advance(1_000)
    expect(statuses.map((s) => [s.status, s.error?.code])).toEqual([['invalid_key', 'key_revoked']])
    expect(errors.map((e) => e.code)).toEqual(['key_revoked'])
    const requests = sim.requests.byKey(shop.key)
    await advance(60_000)
    expect(sim.requests.byKey(shop.key)).toBe(requests)
    await cn.stop()
  })

  it('reports a lost permission and recovers when it is granted again', async () => {
    const { sim, shop, cn, seen, statuses } = await running()
    sim.setPermissions(shop.key, ['rak_balance_read'])
    await advance(1_000)
    expect(statuses.map((s) => s.status)).toEqual(['permission_lost'])
    const during = charges(sim, shop.id, 2)
    sim.setPermissions(shop.key, ['rak_event_read', 'rak_balance_read'])
    await advance(30_000)
    expect(statuses.map((s) => s.status)).toEqual(['permission_lost', 'active'])
    expect(seen.map((e) => e.id)).toEqual(during.map((e) => e.id))
    await cn.stop()
  })

  it('keeps one account on time while another fails', async () => {
    const { sim, fetch } = fakeTimeSimulator()
    const healthy = business(sim, 'live')
    const failing = business(sim, 'test')
    const { cn, seen } = watcher(fetch)
    await cn.addAccount({ apiKey: healthy.key })
    await cn.addAccount({ apiKey: failing.key })
    await cn.start()
    await advance(0)
    sim.faults.add({ key: failing.key, kind: 'server_error', times: Number.POSITIVE_INFINITY })
    for (let i = 0; i < 5; i++) {
      charges(sim, healthy.id, 1, { livemode: true })
      await advance(1_000)
      expect(seen.filter((e) => e.account === `${healthy.id}/live`)).toHaveLength(i + 1)
    }
    expect(cn.account(`${failing.id}/test`)?.status).toBe('stripe_unavailable')
    expect(cn.account(`${healthy.id}/live`)?.status).toBe('active')
    await cn.stop()
  })

  it('reports a throwing listener through error and keeps polling', async () => {
    const { sim, shop, cn, seen, errors } = await running()
    cn.on('stripe.event', () => {
      throw new Error('listener bug')
    })
    charges(sim, shop.id, 2)
    await advance(1_000)
    charges(sim, shop.id, 1)
    await advance(1_000)
    expect(seen).toHaveLength(3)
    expect(errors.map((e) => e.code)).toEqual(['listener_failed', 'listener_failed', 'listener_failed'])
    await cn.stop()
  })
})

describe('accounts while running', () => {
  it('starts the loop of an account added while running, and stops the loop of one removed', async () => {
    const { sim, fetch } = fakeTimeSimulator()
    const a = business(sim)
    const b = business(sim, 'live')
    const { cn, seen } = watcher(fetch, { backfill: 0 })
    await cn.addAccount({ apiKey: a.key })
    await cn.start()
    await advance(0)
    const added = await cn.addAccount({ apiKey: b.key })
    charges(sim, b.id, 2, { livemode: true })
    await advance(1_000)
    expect(seen.filter((e) => e.account === added.ref)).toHaveLength(2)
    await cn.removeAccount(added)
    const requests = sim.requests.byKey(b.key)
    await advance(10_000)
    expect(sim.requests.byKey(b.key)).toBe(requests)
    await cn.stop()
  })
})
