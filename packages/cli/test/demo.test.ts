import { EventEmitter } from 'node:events'
import { afterEach, describe, expect, it } from 'vitest'
import { main } from '../src/main.js'
import { type CliProcess, spawnCli } from './support/child.js'
import { captured, jsonLines, waitFor } from './support/harness.js'

const children: CliProcess[] = []
afterEach(() => {
  for (const child of children.splice(0)) child.kill()
})

/** The desktop either showed notifications or said, in one line, why it cannot. */
const DESKTOP = /desktop (\d+|not available)/

describe('cashnotify demo', () => {
  it('runs for --duration seconds, notifies through every channel, and exits 0 on its own', async () => {
    const demo = spawnCli(['demo', '--duration', '5', '--log-format', 'text'])
    children.push(demo)
    const { code } = await demo.exited
    expect(code).toBe(0)
    const err = demo.stderr.join('\n')
    expect(err).toContain('CashNotify demo: a simulated Stripe business')
    expect(err).toMatch(
      /Northwind Coffee Roasters \(live mode, acct_\w+\) and Bluebird Studio \(test mode, acct_\w+\)/,
    )
    expect(err).toMatch(/✓ Northwind Coffee Roasters \(acct_\w+\/live\): active/)
    expect(err).toMatch(/read its \d+ most recent events as history/)
    // Console: one line per notification on stdout, and at the end today's digest of each shop.
    const notifications = demo.stdout.filter((line) => /^\d\d:\d\d:\d\d (?!📊)\S+ /.test(line))
    expect(notifications.length).toBeGreaterThan(0)
    expect(demo.stdout.filter((line) => line.includes(' 📊 '))).toEqual([
      expect.stringMatching(/ 📊 Northwind Coffee Roasters · today so far$/),
      expect.stringMatching(/ 📊 \[test\] Bluebird Studio · today so far$/),
    ])
    expect(demo.stdout).toContainEqual(expect.stringMatching(/^ {9}USD {2}gross \$[\d,]+\.\d\d · net /))
    // Webhook: every request verified by the receiver with the standardwebhooks package.
    const summary = err.split('\n').find((line) => line.includes('Demo over after'))
    expect(summary).toMatch(new RegExp(`console ${notifications.length}, webhook (\\d+) verified, `))
    expect(Number(/webhook (\d+) verified/.exec(summary ?? '')?.[1])).toBeGreaterThan(0)
    expect(summary).not.toContain('refused')
    expect(summary).toMatch(DESKTOP)
    expect(err).toMatch(/desktop( \(your notification service\)|: not available here \(.+\))/)
  }, 30_000)

  it('runs until Ctrl-C with --duration 0, then drains and exits 0', async () => {
    const { output, out, err } = captured()
    const signals = new EventEmitter()
    const running = main(['demo', '--duration', '0', '--seed', '3', '--log-format', 'json'], output, {
      env: process.env,
      tty: false,
      signals,
    })
    await waitFor(
      () => out.length > 0 && err.some((line) => line.includes('webhook receiver verified')),
      'a notification',
    )
    signals.emit('SIGINT')
    expect(await running).toBe(0)
    const digests = jsonLines(out).filter((line) => line.type === 'digest')
    expect(digests.map((line) => [line.msg, line.livemode])).toEqual([
      ['Northwind Coffee Roasters · today so far', true],
      ['[test] Bluebird Studio · today so far', false],
    ])
    const last = JSON.parse(err.at(-1) ?? '{}') as { msg?: string }
    expect(last.msg).toMatch(
      /^Demo over after \d+ s: \d+ things? happened at the shops; notifications: console [1-9]\d*, webhook [1-9]\d* verified, /,
    )
    expect(last.msg).toMatch(DESKTOP)
    expect(err.some((line) => line.includes('Stopping (SIGINT)'))).toBe(true)
  }, 30_000)
})
