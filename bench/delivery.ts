import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { type DomainEvent, silentLogger } from '@cashnotify/core'
import { sampleEvent, sampleNotification } from '@cashnotify/core/testing'
import { webhookNotifier } from '@cashnotify/notifier-webhook'
import { Keyv } from 'keyv'
// The delivery machinery itself, measured without polling around it.
import { Delivery } from '../packages/core/src/delivery/index.js'
import { printTable, type Row } from './table.js'

const COUNT = 2_000
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

/** A loopback receiver that answers 200 to every POST and counts them. */
async function receiver(): Promise<{ url: string; received: () => number; close: () => Promise<void> }> {
  let received = 0
  const server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      received++
      response.writeHead(200).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received: () => received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

function events(): DomainEvent[] {
  const sale = sampleEvent('sale')
  return Array.from({ length: COUNT }, (_, i) => ({ ...sale, id: `sale:pi_bench${i}` }))
}

/** Notifications per second through the webhook notifier: the outbox pipeline, and one send after another. */
async function throughput(): Promise<Row[]> {
  const target = await receiver()
  try {
    const notifier = webhookNotifier({ url: target.url, secret: SECRET })
    let delivered = 0
    const delivery = new Delivery({
      store: new Keyv(),
      logger: silentLogger,
      onEvent: (event) => {
        if (event.type === 'delivered') delivered++
      },
    })
    delivery.use(notifier, { concurrency: 8 })
    await delivery.start()
    const started = performance.now()
    await Promise.all(events().map((event) => delivery.accept(event)))
    while (delivered < COUNT) await new Promise((resolve) => setTimeout(resolve, 5))
    const pipelined = COUNT / ((performance.now() - started) / 1000)
    await delivery.stop()

    // Baseline: the same notifier, one send after another, nothing persisted.
    const naive = webhookNotifier({ url: target.url, secret: SECRET })
    const signal = new AbortController().signal
    const naiveStart = performance.now()
    for (const event of events()) await naive.send(sampleNotification(event), { signal, attempt: 1 })
    const sequential = COUNT / ((performance.now() - naiveStart) / 1000)
    return [
      {
        figure: `webhook notifications/s to a loopback receiver (${COUNT}, signed, outbox persisted, concurrency 8)`,
        cashnotify: Math.round(pipelined),
        naive: Math.round(sequential),
        note: 'naive: one send after another, nothing persisted',
      },
    ]
  } finally {
    await target.close()
  }
}

/** Runs the delivery benchmark and prints its table. */
export async function benchDelivery(): Promise<void> {
  printTable('Delivery (webhook notifier, loopback receiver)', await throughput())
}
