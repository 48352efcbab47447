import { EventEmitter } from 'node:events'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { SimAccount } from '@cashnotify/stripe-simulator'
import { Keyv } from 'keyv'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '../src/exit-codes.js'
import { main } from '../src/main.js'
import { SqliteStore } from '../src/store/sqlite-store.js'
import { type CliProcess, spawnCli } from './support/child.js'
import { captured, fullKey, jsonLines, type SimHarness, startSim, tempDir } from './support/harness.js'

let sim: SimHarness
let dir: ReturnType<typeof tempDir>
let account: SimAccount
let config: string
let key: string
const children: CliProcess[] = []

beforeAll(async () => {
  sim = await startSim()
  dir = tempDir()
  account = sim.sim.createAccount({ businessName: 'Acme Inc' })
  key = fullKey(sim.sim, account.id, 'live')
  writeFileSync(join(dir.path, 'acme.key'), `${key}\n`, { mode: 0o600 })
  config = join(dir.path, 'cashnotify.json')
  writeFileSync(
    config,
    JSON.stringify({
      accounts: [{ keyFile: 'acme.key' }],
      notifiers: [{ type: 'console' }],
      pollInterval: 1000,
      store: 'state/state.sqlite',
      stripeUrl: sim.url,
    }),
  )
})
afterEach(() => {
  for (const child of children.splice(0)) child.kill()
})
afterAll(async () => {
  await sim.close()
  dir.remove()
})

describe('cashnotify watch, as a process', () => {
  it('on SIGTERM drains, persists its state and exits 0; a second one on the same state is refused', async () => {
    const watch = spawnCli(['watch', '--config', config])
    children.push(watch)
    await watch.line(/"msg":"Watching Acme Inc \(live\)/, 'the daemon to watch')

    const second = spawnCli(['watch', '--config', config])
    children.push(second)
    expect((await second.exited).code).toBe(EXIT_CODES.config)
    expect(second.stderr.join('\n')).toContain(
      `Another cashnotify process (pid ${watch.child.pid}) is using the state file`,
    )

    const shop = sim.sim.business(account.id, { livemode: true })
    const { paymentIntent } = shop.sale({
      amount: 4900,
      currency: 'usd',
      guest: { email: 'jane@example.com' },
    })
    await watch.line(new RegExp(`"id":"sale:${paymentIntent.id}"`), 'the sale on stdout')

    watch.child.kill('SIGTERM')
    const { code } = await watch.exited
    expect(code).toBe(EXIT_CODES.ok)
    const logs = jsonLines(watch.stderr)
    expect(logs.map((line) => line.msg)).toEqual(
      expect.arrayContaining([
        'SIGTERM: stopping. Finishing the notifications being sent (Ctrl-C again to stop at once)…',
        'Delivered this run: console 1.',
        expect.stringMatching(/^Stopped\. State saved in .*state\.sqlite\.$/),
      ]),
    )
    // Logs are JSON lines, and none holds the key.
    expect(logs.length).toBe(watch.stderr.filter((line) => line.trim()).length)
    expect([...watch.stdout, ...watch.stderr].join('\n')).not.toContain(key)

    const file = join(dir.path, 'state', 'state.sqlite')
    expect(existsSync(`${file}.lock`)).toBe(false)
    expect(readFileSync(file).includes(key)).toBe(false) // no key in the state
    const state = new Keyv({ store: new SqliteStore(file) })
    try {
      expect(await state.get(`cashnotify:poll:${account.id}/live`)).toMatchObject({
        v: 1,
        polledAt: expect.any(Number),
      })
      expect(await state.get(`cashnotify:delivery:sent:console:sale:${paymentIntent.id}`)).toBeDefined()
    } finally {
      await state.disconnect()
    }
  }, 45_000)

  it('exits 78 with the field named when the config is invalid', async () => {
    const bad = join(dir.path, 'bad.json')
    writeFileSync(bad, JSON.stringify({ accounts: [{ key }] }))
    const watch = spawnCli(['watch', '--config', bad])
    children.push(watch)
    expect((await watch.exited).code).toBe(EXIT_CODES.config)
    expect(watch.stderr.join('\n')).toContain('`accounts[0].key` holds a Stripe API key in the config file')
    expect(watch.stderr.join('\n')).not.toContain(key)
  }, 20_000)

  it('exits 1, so that a supervisor restarts it, when Stripe cannot be reached at start', async () => {
    const offline = join(dir.path, 'offline.json')
    const closed = await startSim()
    await closed.close() // a port nobody listens on any more
    writeFileSync(
      offline,
      JSON.stringify({ accounts: [{ keyEnv: 'KEY' }], store: 'offline.sqlite', stripeUrl: closed.url }),
    )
    const { output, err } = captured()
    const code = await main(['watch', '--config', offline, '--log-format', 'text'], output, {
      env: { KEY: key },
      signals: new EventEmitter(),
    })
    expect(code).toBe(EXIT_CODES.failed)
    expect(err.join('\n')).toContain('accounts[0] (keyEnv KEY) is not watched: Could not reach Stripe')
    expect(err.at(-1)).toContain('No account could be watched yet: Stripe could not be reached')
  })
})
