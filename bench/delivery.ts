/**
 * Webhook delivery: notifications per second and CPU per notification of CashNotify's delivery —
 * persisted in the daemon's SQLite store, signed by the webhook notifier — against a plain `fetch` loop
 * at the same concurrency, both to one loopback receiver in a process of its own (its CPU is not counted).
 */
import { createHmac } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type DomainEvent, silentLogger } from '@cashnotify/core'
import { sampleEvent } from '@cashnotify/core/testing'
import { webhookNotifier } from '@cashnotify/notifier-webhook'
import { openState } from '../packages/cli/src/store/open-state.js'
// The delivery machinery itself, measured without polling around it.
import { Delivery } from '../packages/core/src/delivery/index.js'
import { DEFAULTS } from '../packages/core/src/shared/defaults.js'
import { nextLine, spawnBench } from './children.js'
import { printTable, type Row } from './table.js'

const COUNT = 4_000
/** Notifications each design sends before the measured runs. */
const WARM_UP = 2_000
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'
/** The webhook notifier's own concurrency, what a user who sets none gets. */
const WEBHOOK_CONCURRENCY =
  webhookNotifier({ url: 'http://127.0.0.1/' }).concurrency ?? DEFAULTS.notifier.concurrency
/** The concurrencies measured: core's default for any notifier, and the webhook notifier's own. */
const CONCURRENCIES = [...new Set([DEFAULTS.notifier.concurrency, WEBHOOK_CONCURRENCY])]

/** Notifications per second, and CPU per notification in ms. */
interface Run {
  readonly rate: number
  readonly cpuMs: number
}

function events(count: number): DomainEvent[] {
  const sale = sampleEvent('sale')
  return Array.from({ length: count }, (_, i) => ({ ...sale, id: `sale:pi_bench${i}` }))
}

/** Times `work`, which sends COUNT notifications, in wall time and in this process's CPU. */
async function timed(work: () => Promise<void>, count: number): Promise<Run> {
  const cpu = process.cpuUsage()
  const started = performance.now()
  await work()
  const wall = performance.now() - started
  const used = process.cpuUsage(cpu)
  return { rate: count / (wall / 1000), cpuMs: (used.user + used.system) / 1000 / count }
}

/**
 * CashNotify's delivery, in the daemon's state file opened as the daemon opens it: each event persisted
 * to the outbox, formatted, signed, sent, marked sent.
 */
async function cashNotify(url: string, storeFile: string, concurrency: number, count = COUNT): Promise<Run> {
  const state = openState(storeFile, { lock: false })
  let delivered = 0
  let done: () => void = () => undefined
  const all = new Promise<void>((resolve) => {
    done = resolve
  })
  const delivery = new Delivery({
    store: state.store,
    logger: silentLogger,
    onEvent: (event) => {
      if (event.type === 'delivered' && ++delivered === count) done()
    },
  })
  delivery.use(webhookNotifier({ url, secret: SECRET }), { concurrency })
  await delivery.start()
  const run = await timed(async () => {
    await Promise.all(events(count).map((event) => delivery.accept(event)))
    await all
  }, count)
  await delivery.stop()
  await state.close()
  return run
}

/**
 * The baseline: `concurrency` loops, each POSTing the next event as JSON with `fetch`, signed as Standard
 * Webhooks asks (a webhook sender that does not sign is not one a receiver can trust) and bounded by a
 * timeout, as any careful sender is; nothing kept.
 */
async function plainFetch(url: string, concurrency: number, count = COUNT): Promise<Run> {
  const queue = events(count)
  const key = Buffer.from(SECRET.slice('whsec_'.length), 'base64')
  return timed(async () => {
    const lane = async (): Promise<void> => {
      for (let event = queue.shift(); event; event = queue.shift()) {
        const body = JSON.stringify(event)
        const timestamp = String(Math.floor(Date.now() / 1000))
        const signature = createHmac('sha256', key)
          .update(`${event.id}.${timestamp}.${body}`)
          .digest('base64')
        const response = await fetch(url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': event.id,
            'webhook-timestamp': timestamp,
            'webhook-signature': `v1,${signature}`,
          },
          body,
          // A careful sender bounds each send, as a stalled receiver would otherwise hold a lane forever.
          signal: AbortSignal.timeout(DEFAULTS.notifier.timeoutMs),
        })
        await response.arrayBuffer()
      }
    }
    await Promise.all(Array.from({ length: concurrency }, lane))
  }, count)
}

/** Runs the delivery benchmark and prints its table. */
export async function benchDelivery(): Promise<void> {
  const receiver = spawnBench('bench/receiver-process.ts')
  const dir = mkdtempSync(join(tmpdir(), 'cashnotify-delivery-'))
  const rows: Row[] = []
  try {
    const { url } = JSON.parse(await nextLine(receiver.lines)) as { url: string }
    // Warm-up, so that both are measured as a long-running process runs them: sockets open, code compiled.
    await plainFetch(url, WEBHOOK_CONCURRENCY, WARM_UP)
    await cashNotify(url, join(dir, 'warm-up.sqlite'), WEBHOOK_CONCURRENCY, WARM_UP)
    for (const concurrency of CONCURRENCIES) {
      const ours = await cashNotify(url, join(dir, `outbox-${concurrency}.sqlite`), concurrency)
      const naive = await plainFetch(url, concurrency)
      const which =
        concurrency === WEBHOOK_CONCURRENCY
          ? " (the webhook notifier's default)"
          : concurrency === DEFAULTS.notifier.concurrency
            ? " (core's default)"
            : ''
      rows.push(
        {
          figure: `notifications/s, concurrency ${concurrency}${which}`,
          cashnotify: Math.round(ours.rate),
          naive: Math.round(naive.rate),
        },
        {
          figure: `CPU per notification (ms), concurrency ${concurrency}${which}`,
          cashnotify: Number(ours.cpuMs.toFixed(3)),
          naive: Number(naive.cpuMs.toFixed(3)),
          note: 'goal: CashNotify ≤ 1.5× naive',
        },
      )
    }
  } finally {
    receiver.stdin.end()
    rmSync(dir, { recursive: true, force: true })
  }
  printTable(`Webhook delivery (${COUNT} sales, loopback receiver in its own process)`, rows, [
    "CashNotify: `webhookNotifier({ url, secret })` behind core's delivery with the daemon's SQLite store (Keyv): each sale is written to the outbox, formatted, signed, POSTed, and marked sent. Time from the first `accept` to the last `delivered`.",
    'Naive: as many loops as the concurrency, each `fetch` POSTing the next sale as JSON, signed as Standard Webhooks asks (HMAC-SHA256 headers), with a timeout (`AbortSignal.timeout`, the notifier default); no text, nothing persisted. Both to the same receiver; CPU is the sending process only.',
  ])
}
