import { type NotifierHarness, notifierTestSuite, sampleNotification } from '@cashnotify/core/testing'
import { describe, expect, it } from 'vitest'
import { createLogger } from '../src/log/logger.js'
import { consoleNotifier } from '../src/notifiers/console.js'
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
        close: async () => {},
      }
    },
  })
})
