/**
 * `cashnotify dead-letters` with `store: { redis }`: the cluster's dead letters are listed from Redis,
 * and `--replay` queues them again while `cashnotify watch` runs, which then sends them.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { silentLogger } from '@cashnotify/core'
import { type RedisServer, startRedisServer } from '@cashnotify/redis/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDaemonState } from '../src/commands/daemon-state.js'
import { parseConfig } from '../src/config/load.js'
import { EXIT_CODES } from '../src/exit-codes.js'
import { main } from '../src/main.js'
import { startPipeline } from '../src/watch/pipeline.js'
import { captured, fullKey, type SimHarness, startSim, tempDir, waitFor } from './support/harness.js'

const PASSWORD = 'Dead-l3tters-pw'
let sim: SimHarness
let redis: RedisServer
let dir: ReturnType<typeof tempDir>
let server: Server
let failing = true
const received: string[] = []
let configFile: string
const env: Record<string, string> = { HOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }
let accountId: string

beforeAll(async () => {
  sim = await startSim()
  redis = await startRedisServer({ password: PASSWORD })
  dir = tempDir()
  server = createServer((request, response) => {
    request.resume()
    request.on('end', () => {
      if (failing) return response.writeHead(503).end()
      received.push(String(request.headers['webhook-id']))
      response.writeHead(204).end()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  accountId = sim.sim.createAccount({ businessName: 'Acme Inc' }).id
  env.ACME_KEY = fullKey(sim.sim, accountId)
  env.REDIS_URL = redis.url
  configFile = join(dir.path, 'cashnotify.json')
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  writeFileSync(
    configFile,
    JSON.stringify({
      accounts: [{ keyEnv: 'ACME_KEY' }],
      notifiers: [{ type: 'webhook', name: 'hooks', url, secretEnv: 'HOOK_SECRET', retry: { attempts: 1 } }],
      pollInterval: 1000,
      readAllocation: { monthly: 5_000_000 },
      store: { redisEnv: 'REDIS_URL', prefix: 'letters', processId: 'a', leaseTtlMs: 1500 },
      stripeUrl: sim.url,
    }),
  )
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await sim.close()
  await redis.stop()
  dir.remove()
})

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const { output, out, err } = captured()
  const code = await main(argv, output, { env })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

async function deadLetterIds(): Promise<string[]> {
  const { code, out } = await cli('dead-letters', '--config', configFile, '--json')
  expect(code).toBe(EXIT_CODES.ok)
  return (JSON.parse(out) as Array<{ id: string }>).map((letter) => letter.id)
}

describe('cashnotify dead-letters on Redis', () => {
  it("lists the cluster's dead letters, and --replay queues them for the running watch to send", async () => {
    const loaded = parseConfig(JSON.parse(readFileSync(configFile, 'utf8')), configFile, dir.path)
    const state = await openDaemonState(loaded, undefined, env, silentLogger)
    const watch = await startPipeline({
      loaded,
      env,
      ...state.backing,
      logger: silentLogger,
      write: () => {},
      format: 'json',
      color: false,
      deadLetterHint: '',
    })
    try {
      const sale = sim.sim.business(accountId).sale({ amount: 4200, currency: 'usd' })
      let ids: string[] = []
      const deadline = Date.now() + 15_000
      while (ids.length === 0 && Date.now() < deadline) ids = await deadLetterIds()
      expect(ids).toEqual([`hooks:sale:${sale.paymentIntent.id}`])

      const listed = await cli('dead-letters', '--config', configFile)
      expect(listed.out).toContain('1 dead letter in redis://:…@127.0.0.1')
      expect(listed.out).toContain('queue them all again for the running `cashnotify watch` processes')
      expect(listed.out).toContain('$42.00')
      expect(`${listed.out}${listed.err}`).not.toContain(PASSWORD)

      failing = false
      const replayed = await cli('dead-letters', '--config', configFile, '--replay')
      expect(replayed).toMatchObject({ code: EXIT_CODES.ok, err: '' })
      expect(replayed.out).toContain('Queued 1 dead letter again')
      await waitFor(() => received.length === 1, 'the running watch sent the replayed letter')
      expect(received).toEqual([`sale:${sale.paymentIntent.id}`])
      expect(await deadLetterIds()).toEqual([])
    } finally {
      await watch.stop()
      await state.close()
    }
  }, 60_000)
})
