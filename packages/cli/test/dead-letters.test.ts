import { EventEmitter } from 'node:events'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseConfig } from '../src/config/load.js'
import { EXIT_CODES } from '../src/exit-codes.js'
import { createLogger } from '../src/log/logger.js'
import { main } from '../src/main.js'
import { openState } from '../src/store/open-state.js'
import { startPipeline } from '../src/watch/pipeline.js'
import { captured, fullKey, type SimHarness, startSim, tempDir, waitFor } from './support/harness.js'

let sim: SimHarness
let dir: ReturnType<typeof tempDir>
let server: Server
let failing = true
const received: string[] = []
let configFile: string
let env: Record<string, string>
let accountId: string

beforeAll(async () => {
  sim = await startSim()
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
  env = {
    ACME_KEY: fullKey(sim.sim, accountId, 'live'),
    HOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  }
  configFile = join(dir.path, 'cashnotify.json')
  writeFileSync(
    configFile,
    JSON.stringify({
      accounts: [{ keyEnv: 'ACME_KEY' }],
      notifiers: [
        {
          type: 'webhook',
          name: 'hooks',
          url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
          secretEnv: 'HOOK_SECRET',
          retry: { attempts: 1 },
        },
      ],
      pollInterval: 1000,
      // An account Stripe allows many reads: polls every second, as these tests need.
      readAllocation: { monthly: 5_000_000 },
      store: 'state.sqlite',
      stripeUrl: sim.url,
    }),
  )
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise((resolve) => server.close(resolve))
  await sim.close()
  dir.remove()
})

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const { output, out, err } = captured()
  const code = await main(argv, output, { env })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

describe('cashnotify dead-letters', () => {
  it('lists what could not be delivered, and --replay sends it once the cause is fixed', async () => {
    // A watch run whose webhook receiver is down: the sale becomes a dead letter.
    const logs: string[] = []
    const state = openState(join(dir.path, 'state.sqlite'), { lock: true })
    const loaded = parseConfig(JSON.parse(readFileSync(configFile, 'utf8')) as unknown, configFile, dir.path)
    const pipeline = await startPipeline({
      loaded,
      env,
      store: state.store,
      logger: createLogger({ format: 'text', write: (line) => logs.push(line) }),
      write: () => {},
      format: 'text',
      color: false,
      deadLetterHint: 'see `cashnotify dead-letters`.',
    })
    const shop = sim.sim.business(accountId, { livemode: true })
    const { paymentIntent } = shop.sale({
      amount: 4900,
      currency: 'usd',
      guest: { email: 'jane@example.com' },
    })
    const id = `hooks:sale:${paymentIntent.id}`
    await waitFor(() => logs.some((line) => line.includes('hooks gave up on')), 'the dead letter')
    expect(logs.join('\n')).toMatch(
      /hooks gave up on "\$49\.00 sale · Acme Inc" after 1 attempt: \[webhook\] 127\.0\.0\.1:\d+ answered 503/,
    )
    // While the daemon holds the state, a replay is refused.
    const held = await cli('dead-letters', '--config', configFile, '--replay')
    expect(held.code).toBe(EXIT_CODES.config)
    expect(held.err).toContain('Another cashnotify process')
    await pipeline.stop()
    await state.close()

    const list = await cli('dead-letters', '--config', configFile)
    expect(list.code).toBe(EXIT_CODES.ok)
    expect(list.out).toContain(`1 dead letter in ${join(dir.path, 'state.sqlite')}`)
    expect(list.out).toContain(id)
    expect(list.out).toContain('$49.00 sale · Acme Inc')
    expect(list.out).toMatch(
      /hooks, 1 attempt, last at \d{4}-\d\d-\d\d \d\d:\d\d UTC: notifier_failed: \[webhook\] 127\.0\.0\.1:\d+ answered 503/,
    )
    const json = JSON.parse((await cli('dead-letters', '--config', configFile, '--json')).out) as Array<{
      id: string
    }>
    expect(json.map((letter) => letter.id)).toEqual([id])

    const typo = await cli('dead-letters', '--config', configFile, '--replay', 'hooks:sale:nope')
    expect(typo.code).toBe(EXIT_CODES.failed)
    expect(typo.err).toContain('No dead letter hooks:sale:nope.')

    failing = false
    const replay = await cli('dead-letters', '--config', configFile, '--replay', id)
    expect(replay.code).toBe(EXIT_CODES.ok)
    expect(replay.out).toContain(`✓ ${id} ($49.00 sale · Acme Inc): delivered`)
    expect(replay.out).toContain('1 of 1 delivered.')
    expect(received).toEqual([`sale:${paymentIntent.id}`])
    expect((await cli('dead-letters', '--config', configFile)).out).toContain('No dead letters in')
  }, 30_000)

  it('names --state in the hint watch logs, so that the hint works when pasted', async () => {
    failing = true
    // A state apart from the config's `store`, in a directory whose name needs quoting.
    const state = join(dir.path, "elsewhere at 5 o'clock", 'state.sqlite')
    const { output, err } = captured()
    const signals = new EventEmitter()
    const watching = main(
      ['watch', '--config', configFile, '--state', state, '--log-format', 'text'],
      output,
      {
        env,
        signals,
        program: 'cashnotify',
      },
    )
    await waitFor(() => err.some((line) => line.includes('Watching Acme Inc')), 'the daemon to watch')
    const { paymentIntent } = sim.sim.business(accountId, { livemode: true }).sale({
      amount: 1900,
      currency: 'usd',
      guest: { email: 'gus@example.com' },
    })
    // This sale's: a sale of the test before, made in the second this new state first adds the account, is new here too.
    const gaveUp = (line: string): boolean =>
      line.includes('hooks gave up on') && line.includes(`hooks:sale:${paymentIntent.id}`)
    await waitFor(() => err.some(gaveUp), 'the dead letter')
    signals.emit('SIGTERM')
    expect(await watching).toBe(EXIT_CODES.ok)
    const hint = /`(cashnotify dead-letters [^`]+)` lists it/.exec(err.find(gaveUp) ?? '')?.[1] ?? ''
    expect(hint).toContain(`--state '${state.replaceAll("'", "'\\''")}'`)
    const [program, ...args] = shellWords(hint)
    expect(program).toBe('cashnotify')
    const pasted = await cli(...args)
    expect(pasted.code).toBe(EXIT_CODES.ok)
    expect(pasted.out).toContain(`hooks:sale:${paymentIntent.id}`)
    expect(pasted.out).not.toContain('every notification was delivered')
    // Its replay hint, pasted, replays from that state too.
    const replay = shellWords(/^\s+(cashnotify dead-letters .+ --replay)$/m.exec(pasted.out)?.[1] ?? '')
    failing = false
    const replayed = await cli(...replay.slice(1))
    expect(replayed.out).toMatch(/(\d+) of \1 delivered\./)
    expect(replayed.out).toContain(`✓ hooks:sale:${paymentIntent.id}`)
  }, 30_000)

  it('says there is no state file where none is, instead of "every notification was delivered"', async () => {
    const missing = join(dir.path, 'typo', 'state.sqlite')
    const list = await cli('dead-letters', '--config', configFile, '--state', missing)
    expect(list.code).toBe(EXIT_CODES.config)
    expect(list.err).toContain(`There is no state file at ${missing}`)
    expect(list.out).toBe('')
    expect(existsSync(missing)).toBe(false)
  })
})

/** A command line split as a POSIX shell splits it: enough for plain words, '…' and \'. */
function shellWords(line: string): string[] {
  const words: string[] = []
  for (const [word] of line.matchAll(/(?:[^\s'\\]+|\\.|'[^']*')+/g)) {
    words.push(
      word.replace(
        /'([^']*)'|\\(.)/g,
        (_, quoted: string | undefined, escaped: string | undefined) => quoted ?? escaped ?? '',
      ),
    )
  }
  return words
}
