import { performance } from 'node:perf_hooks'
import { CashNotify, OPTIONAL_PERMISSIONS, REQUIRED_PERMISSIONS, silentLogger } from '@cashnotify/core'
import { StripeSimulator } from '@cashnotify/stripe-simulator'
import { DEFAULTS } from '../packages/core/src/shared/defaults.js'
import { NaivePoller } from './naive-poller.js'
import { percentile, printTable, type Row } from './table.js'

const PERMISSIONS = [...REQUIRED_PERMISSIONS, ...OPTIONAL_PERMISSIONS]

interface Shop {
  id: string
  key: string
}

function shop(sim: StripeSimulator): Shop {
  const id = sim.createAccount({ businessName: 'Bench Inc', icon: true }).id
  return {
    id,
    key: sim.createKey({ account: id, kind: 'restricted', mode: 'test', permissions: PERMISSIONS }),
  }
}

function charges(
  sim: StripeSimulator,
  account: string,
  count: number,
  created?: (i: number) => number,
): void {
  for (let i = 0; i < count; i++) {
    sim.createEvent({
      account,
      livemode: false,
      type: 'charge.succeeded',
      object: { id: `ch_${i}`, object: 'charge' },
      ...(created ? { created: created(i) } : {}),
    })
  }
}

const until = async (condition: () => boolean, timeoutMs = 60_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('benchmark timed out')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

function watcher(url: string, options: { backfill?: number } = {}): { cn: CashNotify; count: () => number } {
  const { hostname, port } = new URL(url)
  const cn = new CashNotify({
    stripe: { host: hostname, port: Number(port), protocol: 'http' },
    pollInterval: 1_000,
    // These benches measure catch-ups, rate limits and late events at a 1 s interval, not pacing
    // (read-allocation.ts does): an allocation no pace reaches keeps polls at it.
    readAllocation: { monthly: 1_000_000_000 },
    logger: silentLogger,
    ...options,
  })
  let emitted = 0
  cn.on('stripe.event', () => void emitted++)
  return { cn, count: () => emitted }
}

/** Key check + backfill, then a 1,000-event catch-up, each for CashNotify and the naive poller. */
async function catchUp(): Promise<Row[]> {
  const sim = new StripeSimulator({ seed: 1 })
  const server = await sim.listen()
  const now = Math.floor(Date.now() / 1000)
  try {
    const ours = shop(sim)
    const naive = shop(sim)
    for (const s of [ours, naive]) charges(sim, s.id, 60, (i) => now - 3_600 + i)

    const { cn, count } = watcher(server.url)
    await cn.addAccount({ apiKey: ours.key })
    await cn.start()
    await until(() => count() === 50)
    const backfill429 = sim.requests.rateLimited
    await cn.stop()
    const poller = new NaivePoller(naive.key, server.url)
    await poller.backfill(50)
    const naiveBackfill429 = poller.rateLimited

    // Created while CashNotify is stopped, within the last second or so: a catch-up after a restart.
    for (const s of [ours, naive]) charges(sim, s.id, 1_000)
    sim.requests.reset()
    await cn.start()
    await until(() => count() === 1_050)
    await cn.stop()
    const oursRequests = sim.requests.byAccount(ours.id)
    const oursMax = sim.requests.maxPerSecond(ours.id)
    const ours429 = sim.requests.rateLimited
    const naiveBefore = poller.requests
    const caughtUp = (await poller.poll()).length
    const naiveRequests = poller.requests - naiveBefore
    const naiveMax = sim.requests.maxPerSecond(naive.id)
    return [
      {
        figure: '429s during key check + 50-event backfill',
        cashnotify: backfill429,
        naive: naiveBackfill429,
        note: 'goal 0',
      },
      { figure: 'requests for a 1,000-event catch-up', cashnotify: oursRequests, naive: naiveRequests },
      {
        figure: '429s during the 1,000-event catch-up',
        cashnotify: ours429,
        naive: poller.rateLimited,
        note: 'goal 0; the naive poller retries a 429 at once',
      },
      {
        figure: 'most requests in any 1 s window (test mode)',
        cashnotify: oursMax,
        naive: naiveMax,
        note: `budget ${DEFAULTS.budget.testPerSecond}/s, Stripe 25/s`,
      },
      { figure: 'events caught up', cashnotify: count() - 50, naive: caughtUp },
    ]
  } finally {
    await server.close()
  }
}

/** Events created 1–20 s behind the newest one: CashNotify's overlap catches them, an id cursor cannot. */
async function lateEvents(): Promise<Row[]> {
  // Stripe's clock 25 s ahead: an event dated up to 20 s behind the newest is still after the moment the
  // account was added, and so new, not history that no poll emits.
  const ahead = { now: (): number => Date.now() + 25_000 }
  const sim = new StripeSimulator({ seed: 2, rateLimits: false, clock: ahead })
  const server = await sim.listen()
  try {
    const ours = shop(sim)
    const naive = shop(sim)
    const { cn, count } = watcher(server.url, { backfill: 0 })
    await cn.addAccount({ apiKey: ours.key })
    await cn.start()
    const poller = new NaivePoller(naive.key, server.url)
    await poller.backfill(1)
    let naiveSeen = 0
    const total = 200
    for (let round = 0; round < 10; round++) {
      const now = Math.floor(ahead.now() / 1000)
      for (const s of [ours, naive]) {
        charges(sim, s.id, 18)
        charges(sim, s.id, 2, () => now - 1 - Math.floor(Math.random() * 20))
      }
      naiveSeen += (await poller.poll()).length
      await new Promise((resolve) => setTimeout(resolve, 300))
    }
    await until(() => count() === total, 10_000).catch(() => undefined)
    await cn.stop()
    return [
      {
        figure: `events missed of ${total} (10% created behind the newest)`,
        cashnotify: total - count(),
        naive: total - naiveSeen,
        note: 'goal 0',
      },
    ]
  } finally {
    await server.close()
  }
}

/** Time from an event's creation to its listener, at a 1 s poll interval. */
async function latency(): Promise<Row[]> {
  const sim = new StripeSimulator({ seed: 3 })
  const server = await sim.listen()
  try {
    const s = shop(sim)
    const { cn } = watcher(server.url, { backfill: 0 })
    const createdAt = new Map<string, number>()
    const latencies: number[] = []
    cn.on('stripe.event', (event) => {
      const at = createdAt.get(event.id)
      if (at !== undefined) latencies.push(performance.now() - at)
    })
    await cn.addAccount({ apiKey: s.key })
    await cn.start()
    for (let i = 0; i < 40; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 300))
      const event = sim.createEvent({
        account: s.id,
        livemode: false,
        type: 'charge.succeeded',
        object: { id: `ch_${i}`, object: 'charge' },
      })
      createdAt.set(event.id, performance.now())
    }
    await until(() => latencies.length === 40)
    await cn.stop()
    return [
      {
        figure: 'event → listener latency p50 (ms), 1 s interval',
        cashnotify: Math.round(percentile(latencies, 50)),
      },
      {
        figure: 'event → listener latency p99 (ms), 1 s interval',
        cashnotify: Math.round(percentile(latencies, 99)),
      },
    ]
  } finally {
    await server.close()
  }
}

/** Runs the polling benchmarks and prints their table. */
export async function benchPolling(): Promise<void> {
  const rows = [...(await catchUp()), ...(await lateEvents()), ...(await latency())]
  printTable('Polling (simulator over HTTP on loopback, Stripe rate limits on)', rows)
}
