/**
 * `store: { redis }`: any number of `cashnotify watch` on one Redis (a real redis-server, started here),
 * each account polled by one of them; `cashnotify accounts` names the process polling each account.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError, silentLogger } from '@cashnotify/core'
import { type RedisServer, startRedisServer } from '@cashnotify/redis/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDaemonState } from '../src/commands/daemon-state.js'
import { parseConfig } from '../src/config/load.js'
import { main } from '../src/main.js'
import { type Pipeline, startPipeline } from '../src/watch/pipeline.js'
import { captured, fullKey, type SimHarness, startSim, tempDir } from './support/harness.js'

const PASSWORD = 'Sup3r-s3cret'
let sim: SimHarness
let redis: RedisServer
let dir: ReturnType<typeof tempDir>
const env: Record<string, string> = {}
const ACCOUNTS = 4

beforeAll(async () => {
  sim = await startSim()
  redis = await startRedisServer({ password: PASSWORD })
  dir = tempDir()
  env.REDIS_URL = redis.url
  for (let i = 0; i < ACCOUNTS; i++)
    env[`KEY_${i}`] = fullKey(sim.sim, sim.sim.createAccount({ businessName: `Shop ${i}` }).id)
})
afterAll(async () => {
  await sim.close()
  await redis.stop()
  dir.remove()
})

/** The config of process `processId`: the same accounts and Redis for every process. */
function config(processId: string): string {
  const file = join(dir.path, `config-${processId}.json`)
  const accounts = Array.from({ length: ACCOUNTS }, (_, i) => ({ keyEnv: `KEY_${i}` }))
  const store = { redisEnv: 'REDIS_URL', prefix: 'daemon', processId, leaseTtlMs: 1500 }
  writeFileSync(file, JSON.stringify({ accounts, stripeUrl: sim.url, pollInterval: 1000, store }))
  return file
}

/** What `cashnotify watch` runs, for process `processId`. */
async function watch(processId: string): Promise<Pipeline> {
  const loaded = parseConfig(JSON.parse(readFileSync(config(processId), 'utf8')), 'config.json', dir.path)
  const state = await openDaemonState(loaded, undefined, env, silentLogger)
  expect(state.path).not.toContain(PASSWORD)
  return startPipeline({
    loaded,
    env,
    ...state.backing,
    logger: silentLogger,
    write: () => {},
    format: 'json',
    color: false,
    deadLetterHint: '',
  })
}

/** Each account's holder, as `cashnotify accounts --json` says. */
async function holders(): Promise<Array<string | null>> {
  const { output, out, err } = captured()
  await main(['accounts', '--config', config('reader'), '--json'], output, { env })
  expect(err.join('\n')).toBe('')
  const report = JSON.parse(out.join('\n')) as { accounts: Array<{ holder?: string | null }> }
  return report.accounts.map((line) => line.holder ?? null)
}

async function until(what: string, done: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting until ${what}.`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('store: { redis }', () => {
  it('refuses a password in the file, two sources of the URL, and a Redis URL given as a path', () => {
    const parse = (store: unknown): unknown => {
      try {
        parseConfig({ accounts: [{ keyEnv: 'KEY_0' }], store }, 'c.json', dir.path)
      } catch (error) {
        return error
      }
    }
    const literal = parse({ redis: `redis://:${PASSWORD}@127.0.0.1:6379` })
    expect(literal).toBeInstanceOf(ConfigError)
    expect((literal as Error).message).toContain('Use `redisEnv`')
    expect((literal as Error).message).not.toContain(PASSWORD)
    expect((parse({ redis: 'redis://127.0.0.1', redisEnv: 'REDIS_URL' }) as Error).message).toContain(
      'has both `redis` and `redisEnv`',
    )
    expect((parse('redis://127.0.0.1:6379') as Error).message).toContain('"store": { "redis"')
    expect(parse({ redis: 'redis://127.0.0.1:6379', prefix: 'shop' })).toBeUndefined()
    const withWebhooks = (() => {
      try {
        parseConfig(
          { accounts: [{ keyEnv: 'KEY_0' }], store: { redisEnv: 'REDIS_URL' }, webhooks: { port: 0 } },
          'c.json',
          dir.path,
        )
      } catch (error) {
        return error
      }
    })()
    expect(withWebhooks).toBeInstanceOf(ConfigError)
    expect((withWebhooks as Error).message).toContain('does not take webhooks yet')
  })

  it('divides the accounts between two watch processes, and names the holder of each', async () => {
    const a = await watch('a')
    await until('a holds every account', async () => (await holders()).every((h) => h === 'a'))
    const b = await watch('b')
    try {
      await until('the accounts are shared', async () => {
        const now = await holders()
        return now.filter((h) => h === 'a').length === 2 && now.filter((h) => h === 'b').length === 2
      })
      const { output, out } = captured()
      await main(['accounts', '--config', config('reader')], output, { env })
      expect(out.join('\n')).toContain('Polled by a.')
      expect(out.join('\n')).toContain('Polled by b.')
      await a.stop()
      await until('b holds every account', async () => (await holders()).every((h) => h === 'b'), 3000)
    } finally {
      await Promise.all([a.stop(), b.stop()])
    }
    expect(await holders()).toEqual(Array(ACCOUNTS).fill(null))
  }, 60_000)
})
