import { printable } from './printable.js'
import { redactSecrets } from './redact.js'

/** Structured details of a log line. */
export type LogFields = Record<string, unknown>

/** What CashNotify logs through: pino, winston, console or anything with these four methods fits. */
export interface Logger {
  /** Detail for debugging. */
  debug(message: string, fields?: LogFields): void
  /** Something worth knowing happened. */
  info(message: string, fields?: LogFields): void
  /** Something needs attention; the message says what to do. */
  warn(message: string, fields?: LogFields): void
  /** Something failed. */
  error(message: string, fields?: LogFields): void
}

/** Logs nothing. */
export const silentLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn() {},
  error() {},
})

/** Warnings and errors to the console: what an instance logs to unless given a logger. */
export const consoleLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn: (message: string, fields?: LogFields) => console.warn(message, fields ?? ''),
  error: (message: string, fields?: LogFields) => console.error(message, fields ?? ''),
})

/** Deep copy of `value` with every string redacted; errors become their name, code and message. */
export function redactValue(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value)
  if (value === null || typeof value !== 'object' || depth > 8) return value
  if (value instanceof Error) {
    const { code } = value as { code?: unknown }
    return {
      name: value.name,
      message: redactSecrets(value.message),
      ...(code === undefined ? {} : { code }),
    }
  }
  if (Array.isArray(value)) return value.map((item) => redactValue(item, depth + 1))
  if (value instanceof Date || ArrayBuffer.isView(value)) return value
  const toJSON = (value as { toJSON?: () => unknown }).toJSON
  if (typeof toJSON === 'function') return redactValue(toJSON.call(value), depth + 1)
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, depth + 1)]))
}

/**
 * Wraps a logger so that no key can reach it: messages and fields are redacted here, once, instead of
 * at every call site.
 */
export function redactingLogger(logger: Logger): Logger {
  const wrap =
    (level: keyof Logger) =>
    (message: string, fields?: LogFields): void => {
      const safe = printable(redactSecrets(message))
      if (fields === undefined) logger[level](safe)
      else logger[level](safe, redactValue(fields) as LogFields)
    }
  return { debug: wrap('debug'), info: wrap('info'), warn: wrap('warn'), error: wrap('error') }
}
