import { type Logger, redactingLogger } from '@cashnotify/core'
import { textLogger } from './console-logger.js'
import { jsonLogger } from './json-logger.js'
import type { LoggerOptions } from './levels.js'

export { LOG_LEVELS, type LogFormat, type LoggerOptions, type LogLevel } from './levels.js'

/**
 * The daemon's logger: text or JSON lines, redacted by core's {@link redactingLogger} so that no key
 * or webhook secret reaches a line, whoever logs it (the daemon, CashNotify, a notifier).
 */
export function createLogger(options: LoggerOptions): Logger {
  return redactingLogger(options.format === 'json' ? jsonLogger(options) : textLogger(options))
}
