import type { Logger } from '@cashnotify/core'
import { type LoggerOptions, levelled } from './levels.js'

/** The keys every line has; a field of the same name is written as `field.<name>` instead. */
const RESERVED = new Set(['level', 'time', 'msg'])

/**
 * One JSON object per line, `{ level, time, msg, ...fields }`, for systemd's journal, a file or a log
 * collector. `time` is ISO 8601 in UTC.
 */
export function jsonLogger(options: LoggerOptions): Logger {
  const now = options.now ?? Date.now
  return levelled((level, msg, fields) => {
    const extra = Object.fromEntries(
      Object.entries(fields ?? {}).map(([key, value]) => [RESERVED.has(key) ? `field.${key}` : key, value]),
    )
    options.write(JSON.stringify({ level, time: new Date(now()).toISOString(), msg: msg.trim(), ...extra }))
  }, options.level)
}
