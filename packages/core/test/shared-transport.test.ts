import { createConnection, createServer, type Socket } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { CashNotify, silentLogger } from '../src/index.js'
import { ALL_PERMISSIONS, type RunningSimulator, startSimulator } from './helpers.js'

/** A TCP relay in front of the simulator that counts the connections clients open through it. */
async function countingRelay(
  port: number,
): Promise<{ port: number; opened: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>()
  let opened = 0
  const server = createServer((client) => {
    opened++
    const upstream = createConnection({ host: '127.0.0.1', port })
    sockets.add(client).add(upstream)
    client.pipe(upstream).pipe(client)
    client.on('error', () => upstream.destroy())
    upstream.on('error', () => client.destroy())
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (typeof address !== 'object' || !address) throw new Error('the relay has no port')
  return {
    port: address.port,
    opened: () => opened,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy()
        server.close(() => resolve())
      }),
  }
}

let running: RunningSimulator | undefined
let relay: { close: () => Promise<void> } | undefined
afterEach(async () => {
  await relay?.close()
  await running?.close()
})

describe('one way to Stripe for every account of an instance', () => {
  it('sends each account with its own key over a few shared keep-alive connections, in flight up to maxInFlight', async () => {
    running = await startSimulator({ rateLimits: false })
    const { sim } = running
    const counting = await countingRelay(Number(running.stripe.port))
    relay = counting
    const keys = Array.from({ length: 6 }, (_, i) => {
      const account = sim.createAccount({ businessName: `Shop ${i}` }).id
      return sim.createKey({ account, kind: 'restricted', mode: 'test', permissions: ALL_PERMISSIONS })
    })
    const cn = new CashNotify({
      stripe: { host: '127.0.0.1', port: counting.port, protocol: 'http', maxInFlight: 2 },
      budget: { startFull: false },
      retry: { retries: 0 },
      readAllocation: { monthly: 1_000_000 },
      logger: silentLogger,
    })
    const accounts = await Promise.all(keys.map((apiKey) => cn.addAccount({ apiKey })))
    // Six accounts, each probing its key several requests at a time: two connections carried them all.
    expect(accounts.map((a) => a.status)).toEqual(Array(6).fill('active'))
    expect(sim.requests.total).toBeGreaterThan(6 * 8)
    expect(counting.opened()).toBeLessThanOrEqual(2)
    // Every request went with a key, each account's with its own.
    expect(sim.requests.log.every((entry) => entry.status === 200 && entry.account !== null)).toBe(true)
    expect(keys.reduce((sum, key) => sum + sim.requests.byKey(key), 0)).toBe(sim.requests.total)
    const accountsByKey = new Map(sim.requests.log.map((e) => [e.key, e.account]))
    expect(new Set(accountsByKey.values()).size).toBe(6)
    await cn.stop()
  })
})
