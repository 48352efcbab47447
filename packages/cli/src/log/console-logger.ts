import { type LogFields, type Logger, printable } from '@cashnotify/core'
import { type LoggerOptions, type LogLevel, levelled } from './levels.js'

const ANSI = { dim: '2', bold: '1', red: '31', green: '32', yellow: '33', cyan: '36' } as const

/** Colours text for a terminal, or leaves it alone. */
export type Paint = (style: keyof typeof ANSI, text: string) => string

/** A {@link Paint} that colours when `color` is true. */
export function painter(color: boolean): Paint {
  return (style, text) => (color ? `\x1b[${ANSI[style]}m${text}\x1b[0m` : text)
}

/** `14:03:27`, local time: a person reads the clock on the wall. */
export function clock(ms: number): string {
  const date = new Date(ms)
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((n) => String(n).padStart(2, '0'))
    .join(':')
}

const MARK: Record<LogLevel, string> = { debug: '·', info: ' ', warn: '⚠', error: '✗' }

/** Fields as `key=value`; values come from anywhere (a buyer's name), so they are made printable. */
function fieldText(fields: LogFields): string {
  const text = Object.entries(fields)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const text = typeof value === 'string' ? value : JSON.stringify(value)
      return `${key}=${typeof value === 'string' && /\s/.test(text) ? JSON.stringify(text) : text}`
    })
    .join(' ')
  return printable(text)
}

/**
 * Lines for a person at a terminal: `14:03:27 ⚠ message`. Fields are shown for warnings, errors and
 * debug lines, where they help to act; an info line says all it has to say in words.
 */
export function textLogger(options: LoggerOptions): Logger {
  const paint = painter(options.color ?? false)
  const now = options.now ?? Date.now
  const style: Record<LogLevel, (text: string) => string> = {
    debug: (text) => paint('dim', text),
    info: (text) => text,
    warn: (text) => paint('yellow', text),
    error: (text) => paint('red', text),
  }
  return levelled((level, message, fields) => {
    const details = level !== 'info' && fields && Object.keys(fields).length > 0 ? fieldText(fields) : ''
    // Printable before painting: the colours are the only escapes a line may hold.
    const text = printable(message)
    options.write(
      `${paint('dim', clock(now()))} ${style[level](`${MARK[level]} ${text}`)}${details ? `  ${paint('dim', details)}` : ''}`,
    )
  }, options.level)
}
