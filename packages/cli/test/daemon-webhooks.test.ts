import { once } from 'node:events'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../src/config/load.js'
import { createLogger } from '../src/log/logger.js'
import { openState } from '../src/store/open-state.js'
import { startPipeline } from '../src/watch/pipeline.js'
import { fullKey, jsonLines, type SimHarness, startSim, tempDir, waitFor } from './support/harness.js'

let sim: SimHarness
let dir: ReturnType<typeof tempDir>

beforeAll(async () => {
  sim = await startSim()
  dir = tempDir()
})
afterAll(async () => {
  await sim.close()
  dir.remove()
})

/** A loopback port nothing listens on now: the daemon's config names its port before it starts. */
async function freePort(): Promise<number> {
  const probe = createServer().listen(0, '127.0.0.1')
  await once(probe, 'listening')
  const { port } = probe.address() as { port: number }
  probe.close()
  await once(probe, 'close')
  return port
}

describe("the daemon's webhook server", () => {
  it('notifies a sale that Stripe pushes within seconds, while polls are minutes apart', async () => {
    const account = sim.sim.createAccount({ businessName: 'Pushed Inc' })
    const port = await freePort()
    const url = `http://127.0.0.1:${port}/hooks/stripe`
    const endpoint = sim.sim.addWebhookEndpoint({ account: account.id, url, livemode: true })
    const env = { SHOP_KEY: fullKey(sim.sim, account.id, 'live'), SHOP_WEBHOOK_SECRET: endpoint.secret }
    const loaded = parseConfig(
      {
        accounts: [{ keyEnv: 'SHOP_KEY', webhookSecretEnv: 'SHOP_WEBHOOK_SECRET' }],
        notifiers: [{ type: 'console' }],
        webhooks: { port, path: '/hooks/stripe' },
        stripeUrl: sim.url,
      },
      'test',
      dir.path,
    )
    const state = openState(join(dir.path, 'pushed.sqlite'), { lock: true })
    const printed: string[] = []
    const logs: string[] = []
    const pipeline = await startPipeline({
      loaded,
      env,
      store: state.store,
      logger: createLogger({ format: 'json', write: (line) => logs.push(line) }),
      write: (line) => printed.push(line),
      format: 'json',
      color: false,
      deadLetterHint: '',
    })
    try {
      expect(pipeline.webhookUrl).toBe(url)
      const watched = pipeline.accounts.watched[0]
      if (!watched) throw new Error('Expected the account to be watched.')
      // The floor's share, spread over a day: polls alone would find the sale minutes later.
      expect(pipeline.cn.readUsage(watched).interval).toBeGreaterThanOrEqual(300_000)
      expect(logs.join('\n')).toContain(`taking Stripe's webhooks at ${url}`)

      const shop = sim.sim.business(account.id, { livemode: true })
      const customer = shop.customer({ email: 'ada@example.com', country: 'GB' })
      const { price } = shop.product({ name: 'Mug', unitAmount: 1800, currency: 'usd' })
      const paymentIntent = shop.sale({ customer, items: [{ price }] }).paymentIntent.id
      await waitFor(
        () => jsonLines(printed).some((line) => line.id === `sale:${paymentIntent}`),
        'the pushed sale',
        8000,
      )
      expect(jsonLines(printed).filter((line) => line.type === 'sale')).toHaveLength(1)

      // Anything but Stripe's signed POST at the path is refused, and other paths are not CashNotify's.
      const unsigned = await fetch(url, { method: 'POST', body: '{}' })
      expect(unsigned.status).toBe(400)
      const elsewhere = await fetch(`http://127.0.0.1:${port}/`)
      expect(elsewhere.status).toBe(404)
    } finally {
      await pipeline.stop()
      await state.close()
    }
    // Stopped: the port is free again.
    await expect(fetch(url, { method: 'POST' })).rejects.toThrow()
  }, 30_000)
})
