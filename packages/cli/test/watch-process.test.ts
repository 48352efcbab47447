import { EventEmitter } from 'node:events'
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { type AddressInfo, createServer, type Socket } from 'node:net'
import { join } from 'node:path'
import type { SimAccount } from '@cashnotify/stripe-simulator'
import { Keyv } from 'keyv'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { EXIT_CODES } from '../src/exit-codes.js'
import { main } from '../src/main.js'
import { lockState } from '../src/store/lock.js'
import { SqliteStore } from '../src/store/sqlite-store.js'
import { type CliProcess, spawnCli } from './support/child.js'
import {
  captured,
  fullKey,
  jsonLines,
  type SimHarness,
  startSim,
  tempDir,
  waitFor,
} from './support/harness.js'

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
      // An account Stripe allows many reads: polls every second, as these tests need.
      readAllocation: { monthly: 5_000_000 },
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
  it('on SIGTERM drains, persists its state and exits 0; a second one on the same state is refused, also through a symbolic link', async () => {
    const watch = spawnCli(['watch', '--config', config])
    children.push(watch)
    await watch.line(/"msg":"Watching Acme Inc \(live\)/, 'the daemon to watch')

    const file = join(dir.path, 'state', 'state.sqlite')
    const alias = join(dir.path, 'alias.sqlite')
    symlinkSync(file, alias)
    for (const state of [[], ['--state', alias]]) {
      const second = spawnCli(['watch', '--config', config, ...state])
      children.push(second)
      expect((await second.exited).code).toBe(EXIT_CODES.config)
      expect(second.stderr.join('\n')).toContain(`Another cashnotify process is using the state file ${file}`)
    }

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

    lockState(file).release() // free again
    expect(readFileSync(file).includes(key)).toBe(false) // no key in the state
    const state = new Keyv({ store: new SqliteStore(file) })
    try {
      // The account's cursor (its shape is core's).
      expect(await state.get(`cashnotify:poll:${account.id}/live`)).toMatchObject({ v: expect.any(Number) })
    } finally {
      await state.disconnect()
    }
  }, 45_000)

  it('takes the state over from a watch killed with SIGKILL: the kernel released its lock', async () => {
    const killed = spawnCli(['watch', '--config', config, '--state', join(dir.path, 'killed.sqlite')])
    children.push(killed)
    await killed.line(/"msg":"Watching Acme Inc/, 'the first daemon to watch')
    killed.child.kill('SIGKILL')
    expect((await killed.exited).signal).toBe('SIGKILL')
    const next = spawnCli(['watch', '--config', config, '--state', join(dir.path, 'killed.sqlite')])
    children.push(next)
    await next.line(/"msg":"Watching Acme Inc/, 'the next daemon to watch')
    next.child.kill('SIGTERM')
    expect((await next.exited).code).toBe(EXIT_CODES.ok)
  }, 45_000)

  it.each([['/proc/cashnotify/state.sqlite'], ['/proc/self/cashnotify.sqlite'], ['/sys/cashnotify.sqlite']])(
    'refuses the state path %s at once (exit 78) instead of hanging, spinning and deaf to SIGTERM',
    async (state) => {
      const watch = spawnCli(['watch', '--config', config, '--state', state])
      children.push(watch)
      expect((await watch.exited).code).toBe(EXIT_CODES.config)
      expect(watch.stderr.join('\n')).toMatch(
        /a file system the kernel makes up: nothing can be stored there/,
      )
    },
    20_000,
  )

  it('stops within seconds on SIGTERM during start-up, while Stripe accepts connections and never answers', async () => {
    const sockets = new Set<Socket>()
    const silent = createServer((socket) => sockets.add(socket))
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve))
    try {
      const { port } = silent.address() as AddressInfo
      const state = join(dir.path, 'silent.sqlite')
      const watch = spawnCli([
        'watch',
        '--config',
        config,
        '--state',
        state,
        '--stripe-url',
        `http://127.0.0.1:${port}`,
      ])
      children.push(watch)
      await watch.line(/"msg":"Checking 1 account on http:\/\/127\.0\.0\.1/, 'the account check to start')
      await waitFor(() => sockets.size > 0, 'a request to the silent Stripe')
      watch.child.kill('SIGTERM')
      expect((await watch.exited).code).toBe(EXIT_CODES.ok)
      expect(watch.stderr.join('\n')).toContain(
        'SIGTERM during start-up: stopping before anything is polled.',
      )
    } finally {
      for (const socket of sockets) socket.destroy()
      await new Promise((resolve) => silent.close(resolve))
    }
  }, 20_000)

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
