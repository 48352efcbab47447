import { writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { StripeSimulator } from '@cashnotify/stripe-simulator'
import { Webhook } from 'standardwebhooks'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CliProcess, spawnCli } from './support/child.js'
import { fullKey, tempDir, waitFor } from './support/harness.js'

/**
 * `cashnotify watch` killed with SIGKILL again and again while shops sell, restarted each time on the same
 * state file: every sale must reach the webhook receiver, a repeat only ever with the same id, each with
 * its fee, and Stripe's limit must hold in every second, the one after each restart included.
 * `SOAK_KILLS=95 npx vitest run --project cli test/kill-soak.test.ts` runs the long version.
 */
const KILLS = Number(process.env.SOAK_KILLS ?? 6)
const SECRET = `whsec_${Buffer.from('kill-soak-secret-0123456789ab').toString('base64')}`

interface Received {
  readonly id: string
  readonly type: string
  readonly fee: unknown
}

/** A Standard Webhooks receiver on loopback that verifies every signature. */
async function receiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const verifier = new Webhook(SECRET)
  const received: Received[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => {
      body += chunk
    })
    req.on('end', () => {
      const payload = verifier.verify(body, req.headers as Record<string, string>) as {
        id: string
        type: string
        data: { fee?: unknown }
      }
      received.push({ id: payload.id, type: payload.type, fee: payload.data.fee })
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received }
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

let sim: StripeSimulator
let stripe: { url: string; close(): Promise<void> }
let hooks: Awaited<ReturnType<typeof receiver>>
let dir: ReturnType<typeof tempDir>
beforeAll(async () => {
  // Stripe's own limits, enforced: a request over them is a 429 the test sees.
  sim = new StripeSimulator({ seed: 21 })
  stripe = await sim.listen()
  hooks = await receiver()
  dir = tempDir()
})
afterAll(async () => {
  await stripe.close()
  await new Promise((resolve) => hooks.server.close(resolve))
  dir.remove()
})

describe('cashnotify watch, killed with SIGKILL again and again', () => {
  it(
    `loses no sale, repeats none under another id, keeps every fee and stays within Stripe's limits (${KILLS} kills)`,
    async () => {
      const shops = ['live', 'test', 'test'].map((mode, i) => {
        const id = sim.createAccount({ businessName: `Shop ${i}` }).id
        return {
          id,
          mode,
          key: fullKey(sim, id, mode as 'live' | 'test'),
          business: sim.business(id, { livemode: mode === 'live' }),
        }
      })
      const env = Object.fromEntries(shops.map((shop, i) => [`SHOP_${i}_KEY`, shop.key]))
      const config = join(dir.path, 'cashnotify.json')
      writeFileSync(
        config,
        JSON.stringify({
          accounts: shops.map((_, i) => ({ keyEnv: `SHOP_${i}_KEY` })),
          notifiers: [{ type: 'webhook', url: hooks.url, secretEnv: 'HOOK_SECRET', concurrency: 4 }],
          pollInterval: 1000,
          store: join(dir.path, 'state.sqlite'),
          stripeUrl: stripe.url,
        }),
      )
      const watch = (): CliProcess =>
        spawnCli(['watch', '--config', config, '--log-format', 'json'], { ...env, HOOK_SECRET: SECRET })

      // Sales from the moment the accounts are watched on: what happened before is history, not news.
      let current = watch()
      await current.line(/Watching/, 'the first start')
      const sales: string[] = []
      let selling = true
      const seller = (async () => {
        for (let n = 0; selling; n++) {
          const shop = shops[n % shops.length]
          if (!shop) break
          const paid = shop.business.sale({
            amount: 1_000 + n,
            currency: 'usd',
            balanceTransactionLater: n % 5 === 0,
          })
          sales.push(paid.paymentIntent.id)
          await pause(150)
        }
      })()

      for (let kill = 0; kill < KILLS; kill++) {
        await pause(1_500 + ((kill * 937) % 2_500))
        current.kill()
        await current.exited
        current = watch()
      }
      selling = false
      await seller
      await waitFor(
        () => sales.every((pi) => hooks.received.some((r) => r.id === `sale:${pi}`)),
        'every sale delivered',
        60_000,
      )
      current.child.kill('SIGTERM')
      await current.exited

      const saleIds = new Set(sales.map((pi) => `sale:${pi}`))
      const receivedSales = hooks.received.filter((r) => r.type === 'sale')
      // Nothing lost, nothing made up: every sale once or more, and only sales that happened.
      expect(new Set(receivedSales.map((r) => r.id))).toEqual(saleIds)
      // Every sale has its fee: every key may read balance transactions.
      expect(receivedSales.filter((r) => r.fee === undefined).map((r) => r.id)).toEqual([])
      // Within Stripe's limits in every second, the ones after each restart included.
      expect(sim.requests.rateLimited).toBe(0)
      for (const shop of shops)
        expect(sim.requests.maxPerSecond(shop.id)).toBeLessThanOrEqual(shop.mode === 'live' ? 100 : 25)
    },
    60_000 + KILLS * 6_000,
  )
})
