import { type DeadLetter, printable } from '@cashnotify/core'
import { type NotifierHarness, notifierTestSuite, sampleNotification } from '@cashnotify/core/testing'
import { describe, expect, it } from 'vitest'
import { formatStatuses } from '../src/commands/accounts-report.js'
import { formatDeadLetters } from '../src/commands/dead-letters-report.js'
import { createLogger } from '../src/log/logger.js'
import { consoleNotifier } from '../src/notifiers/console.js'
import { printableText } from '../src/output.js'
import { jsonLines } from './support/harness.js'

const KEY = `rk_live_51${'a1B2c3D4e5'.repeat(9)}wxyz`
const AT = Date.UTC(2026, 10, 2, 12, 0, 5)

describe('logs', () => {
  it('writes JSON lines with level, time, msg and the fields, dropping what is below the level', () => {
    const lines: string[] = []
    const logger = createLogger({
      format: 'json',
      level: 'info',
      write: (line) => lines.push(line),
      now: () => AT,
    })
    logger.debug('not shown')
    logger.info('Watching 2 accounts', { accounts: 2, msg: 'a field named like a key' })
    logger.error('Failed', { code: 'key_invalid' })
    expect(jsonLines(lines)).toEqual([
      {
        level: 'info',
        time: '2026-11-02T12:00:05.000Z',
        msg: 'Watching 2 accounts',
        accounts: 2,
        'field.msg': 'a field named like a key',
      },
      { level: 'error', time: '2026-11-02T12:00:05.000Z', msg: 'Failed', code: 'key_invalid' },
    ])
  })

  it('writes lines for a person: the time, a mark for warnings and errors, and their fields', () => {
    const lines: string[] = []
    const logger = createLogger({
      format: 'text',
      write: (line) => lines.push(line),
      now: () => new Date(2026, 10, 2, 14, 3, 27).getTime(),
    })
    logger.info('Watching Acme (live)', { accounts: 1 })
    logger.warn('key.txt can be read by other users: run chmod 600 key.txt', { code: 'x' })
    expect(lines).toEqual([
      '14:03:27   Watching Acme (live)',
      '14:03:27 ⚠ key.txt can be read by other users: run chmod 600 key.txt  code=x',
    ])
  })

  it('never writes a key, in a message or a field, in either format', () => {
    for (const format of ['text', 'json'] as const) {
      const lines: string[] = []
      const logger = createLogger({ format, write: (line) => lines.push(line) })
      logger.warn(`Refused ${KEY}`, { key: KEY, nested: { error: new Error(`with ${KEY}`) } })
      expect(lines.join('\n')).not.toContain(KEY)
      expect(lines.join('\n')).toContain('rk_live_…wxyz')
    }
  })
})

describe('the console notifier', () => {
  it('prints one line per notification, for a person or as JSON', async () => {
    const lines: string[] = []
    const context = { signal: new AbortController().signal, attempt: 1 }
    const notification = sampleNotification()
    await consoleNotifier({ write: (line) => void lines.push(line), now: () => AT }).send(
      notification,
      context,
    )
    await consoleNotifier({ write: (line) => void lines.push(line), format: 'json', now: () => AT }).send(
      notification,
      context,
    )
    expect(lines[0]).toMatch(/^\d\d:\d\d:05 💰 /)
    expect(lines[0]).toContain(`${notification.title} — ${notification.body}`)
    expect(jsonLines(lines.slice(1))[0]).toMatchObject({
      level: 'info',
      msg: notification.title,
      notifier: 'console',
      id: notification.id,
    })
  })

  notifierTestSuite({
    name: 'console',
    async setup(): Promise<NotifierHarness> {
      const lines: string[] = []
      let mode: 'ok' | 'fail' | 'stall' = 'ok'
      const write = (line: string): void | Promise<void> => {
        if (mode === 'fail') throw new Error('EPIPE: broken pipe')
        if (mode === 'stall') return new Promise<void>(() => {})
        lines.push(line)
      }
      return {
        notifier: consoleNotifier({ write, format: 'json' }),
        received: async () => jsonLines(lines).map((line) => String(line.id)),
        fail: () => {
          mode = 'fail'
        },
        stall: () => {
          mode = 'stall'
        },
        recover: () => {
          mode = 'ok'
        },
        absent: {
          refuse: 'a stream either takes a line or fails; it has no answer that says "never send this"',
          gone: 'a stream has no "gone for good" answer: a closed one fails like any write error',
        },
        close: async () => {},
      }
    },
  })
})

/** What a buyer can type into a name or a product: a line rewrite, a colour, a bidirectional override. */
const FORGED = 'Jane\r\x1b[2K\x1b[31m$99,999.00 sale\u202e\x07'
/** The colour (SGR) sequences the CLI paints itself, the only escapes a line may hold. */
const SGR = new RegExp(`${String.fromCharCode(0x1b)}\\[[0-9;]*m`, 'g')
/** Whether a line of `text` holds a control character other than the CLI's own colours. */
const raw = (text: string): boolean =>
  text.split('\n').some((line) => printable(line.replace(SGR, '')) !== line.replace(SGR, ''))

describe('terminal safety', () => {
  it('the console notifier prints buyer-entered text made printable, coloured or not, and JSON stays JSON', async () => {
    const context = { signal: new AbortController().signal, attempt: 1 }
    const notification = { ...sampleNotification(), title: `$49.00 sale · ${FORGED}`, body: `${FORGED} (US)` }
    for (const color of [false, true]) {
      const lines: string[] = []
      await consoleNotifier({ write: (line) => void lines.push(line), color, now: () => AT }).send(
        notification,
        context,
      )
      expect(raw(lines[0] ?? '')).toBe(false)
      expect(lines[0]).toContain('Jane␍␛[2K␛[31m$99,999.00 sale')
    }
    const json: string[] = []
    await consoleNotifier({ write: (line) => void json.push(line), format: 'json', now: () => AT }).send(
      notification,
      context,
    )
    expect(jsonLines(json)[0]).toMatchObject({ msg: notification.title, body: notification.body })
  })

  it('the text log makes messages and fields printable, and the JSON log keeps them exact', () => {
    const text: string[] = []
    createLogger({ format: 'text', color: true, write: (line) => text.push(line) }).warn(
      `Sale for ${FORGED}`,
      {
        customer: FORGED,
      },
    )
    expect(raw(text[0] ?? '')).toBe(false)
    expect(text[0]).toContain('Sale for Jane␍␛[2K')
    expect(text[0]).toContain('customer=')
    const json: string[] = []
    createLogger({ format: 'json', write: (line) => json.push(line) }).warn('Sale', { customer: FORGED })
    expect(jsonLines(json)[0]).toMatchObject({ customer: FORGED })
  })

  it('the accounts, check-key and dead-letters reports make every line printable', () => {
    const accounts = formatStatuses(
      [
        {
          label: 'accounts[0]',
          keySource: 'keyEnv K',
          name: FORGED,
          status: 'invalid',
          featuresLost: [],
          reason: FORGED,
        },
      ],
      'cashnotify.json',
    )
    const letter = {
      id: 'console:sale:pi_1',
      notifier: 'console',
      attempts: 1,
      failedAt: new Date(AT),
      notification: { ...sampleNotification(), title: FORGED },
      error: { code: 'notifier_failed', message: FORGED },
    } as unknown as DeadLetter
    const deadLetters = formatDeadLetters([letter], '/tmp/state.sqlite', 'cashnotify dead-letters --replay')
    for (const report of [accounts, deadLetters]) {
      expect(raw(report)).toBe(false)
      expect(report).toContain('Jane␍␛[2K')
      expect(report.split('\n').length).toBeGreaterThan(2) // its own line breaks are kept
    }
    expect(printableText(`line one\n${FORGED}`)).toBe('line one\nJane␍␛[2K␛[31m$99,999.00 sale\ufffd␇')
  })
})
