/**
 * CPU of an empty poll of one account whose history of emitted ids is 0, 50,000 or 200,000 long (a shop
 * with about 1,600 sales a day keeps 200,000 over 35 days). CashNotify runs whole — poller, enricher and
 * the daemon's SQLite store through Keyv — on fake time, restarted onto a store that holds the history;
 * the events endpoint answers a canned empty page, so the figure is CashNotify's own work.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { KeyValueStore } from '@cashnotify/core'
import { Keyv } from 'keyv'
import { SqliteStore } from '../packages/cli/src/store/sqlite-store.js'
// The enricher's own store layout, used only to write a history into the store before CashNotify opens it.
import { emittedIds } from '../packages/core/src/enrich/enrich-state.js'
import { NaivePoller } from './naive-poller.js'
import {
  DAY_MS,
  InProcessStripe,
  installFakeTime,
  seeded,
  shopWithHistory,
  watch,
} from './simulated-shops.js'
import { percentile, printTable, type Row } from './table.js'

const HISTORIES = [0, 50_000, 200_000] as const
/** Measured polls: the median of BLOCKS blocks of POLLS. */
const POLLS = 20
const BLOCKS = 5
const NAIVE_POLLS = 10
/** Days the history is spread over (the enricher keeps 35). */
const HISTORY_DAYS = 34
const EMPTY_PAGE = JSON.stringify({ object: 'list', data: [], has_more: false, url: '/v1/events' })

/** The simulator, except that `GET /v1/events` answers an empty page once `canned` is set; counts those. */
function cannedEvents(stripe: InProcessStripe): { fetch: typeof fetch; canned: boolean; polls: number } {
  const state = {
    canned: false,
    polls: 0,
    fetch: ((input: RequestInfo | URL, init?: RequestInit) => {
      const url = new URL(input instanceof Request ? input.url : String(input))
      if (!state.canned || url.pathname !== '/v1/events') return stripe.fetch(input, init)
      state.polls++
      const headers = { 'content-type': 'application/json', 'request-id': `req_idle${state.polls}` }
      return Promise.resolve(new Response(EMPTY_PAGE, { headers }))
    }) as typeof fetch,
  }
  return state
}

/** Writes `count` emitted ids spread over the last days, as the enricher would have kept them. */
async function writeHistory(store: KeyValueStore, ref: string, count: number): Promise<void> {
  const now = Date.now()
  for (let day = HISTORY_DAYS - 1; day >= 0; day--) {
    const ids = emittedIds(store, ref, () => now - day * DAY_MS)
    await ids.load()
    const from = Math.floor((count * (HISTORY_DAYS - 1 - day)) / HISTORY_DAYS)
    const to = Math.floor((count * (HISTORY_DAYS - day)) / HISTORY_DAYS)
    ids.add(Array.from({ length: to - from }, (_, i) => `sale:pi_history${from + i}`))
    await ids.flush()
  }
}

/** What one size of history cost CashNotify: µs of CPU per empty poll, and the ids its store held after. */
interface IdleRun {
  readonly cpuUs: number
  readonly held: number
}

/** A CashNotify restarted onto a store with `history` emitted ids, polling an empty page. */
async function cashNotifyPoll(history: number, store: KeyValueStore, seed: number): Promise<IdleRun> {
  const time = installFakeTime()
  try {
    const stripe = new InProcessStripe(seed)
    const shop = shopWithHistory(stripe, 30, 'Idle')
    const events = cannedEvents(stripe)
    const options = {
      stripe: { fetch: events.fetch },
      store,
      pollInterval: 1_000,
      readAllocation: { monthly: 1_000_000_000 }, // polls every second, whatever the pace
    }
    const first = stripe.cashNotify(seeded(seed), options)
    const account = await watch(first, time, { apiKey: shop.key })
    await time.tick(10_000)
    await first.stop()
    await writeHistory(store, account.ref, history)

    // A restart onto the history: warm-up polls load it, then the measured polls find nothing new.
    const cn = stripe.cashNotify(seeded(seed), options)
    events.canned = true
    await watch(cn, time, { apiKey: shop.key })
    await time.tick(10_000)
    const perPoll: number[] = []
    for (let block = 0; block < BLOCKS; block++) {
      const polls = events.polls
      const start = process.cpuUsage()
      await time.tick(POLLS * 1_000)
      const cpu = process.cpuUsage(start)
      perPoll.push((cpu.user + cpu.system) / (events.polls - polls))
    }
    await cn.stop()
    const held = emittedIds(store, account.ref, Date.now)
    await held.load()
    return { cpuUs: percentile(perPoll, 50), held: held.size }
  } finally {
    time.uninstall()
  }
}

/**
 * The naive design, on the same store and the same empty page: stripe-node lists events after its
 * cursor, and the dedupe map of emitted ids is copied, updated and written whole at every poll.
 */
async function naivePoll(history: number, store: KeyValueStore, seed: number): Promise<number> {
  const stripe = new InProcessStripe(seed)
  const shop = shopWithHistory(stripe, 30, 'Idle naive')
  const events = cannedEvents(stripe)
  const poller = new NaivePoller(shop.key, { fetch: events.fetch })
  await poller.backfill(1)
  events.canned = true
  const now = Date.now()
  let emitted = new Map(
    Array.from({ length: history }, (_, i) => [`sale:pi_history${i}`, now - (i % HISTORY_DAYS) * DAY_MS]),
  )
  const key = `naive:emitted:${shop.id}`
  await store.set(key, [...emitted])
  const poll = async (): Promise<void> => {
    const batch = await poller.poll()
    const next = new Map(emitted)
    for (const event of batch) next.set(event.id, Date.now())
    for (const [id, at] of next) if (at < Date.now() - 35 * DAY_MS) next.delete(id)
    await store.set(key, [...next])
    emitted = next
  }
  for (let i = 0; i < 2; i++) await poll()
  const start = process.cpuUsage()
  for (let i = 0; i < NAIVE_POLLS; i++) await poll()
  const cpu = process.cpuUsage(start)
  return (cpu.user + cpu.system) / NAIVE_POLLS
}

/** Runs the idle-poll benchmark and prints its table. */
export async function benchIdlePoll(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'cashnotify-idle-'))
  const rows: Row[] = []
  const held: number[] = []
  try {
    for (const [i, history] of HISTORIES.entries()) {
      const store = (name: string): KeyValueStore =>
        new Keyv({ store: new SqliteStore(join(dir, `${name}-${history}.sqlite`)) })
      const ours = await cashNotifyPoll(history, store('cashnotify'), 130 + i)
      const naive = await naivePoll(history, store('naive'), 130 + i)
      held.push(ours.held)
      rows.push({
        figure: `CPU per empty poll, ${history.toLocaleString('en-US')} emitted ids of history (ms)`,
        cashnotify: Number((ours.cpuUs / 1000).toFixed(2)),
        naive: Number((naive / 1000).toFixed(2)),
      })
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  printTable(
    'Idle poll CPU by history (one account, canned empty events page, SQLite store through Keyv)',
    rows,
    [
      `CashNotify: restarted onto a store holding the history (it held ${held.map((n) => n.toLocaleString('en-US')).join(' / ')} ids after the polls), polling every 1 s on fake time: the median of ${BLOCKS} blocks of ${POLLS} polls after 10 of warm-up; poller, enricher, read ledger and store writes included.`,
      `Naive: stripe-node lists events after an id cursor; its emitted-id map is copied, pruned and written whole (Keyv JSON) at every poll; ${NAIVE_POLLS} polls.`,
    ],
  )
}
