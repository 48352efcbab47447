import type { LogFields, Logger } from '@cashnotify/core'

/** Log levels, least severe first. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const

/** How severe a line is. */
export type LogLevel = (typeof LOG_LEVELS)[number]

/** Lines for a person (`text`) or one JSON object per line (`json`). */
export type LogFormat = 'text' | 'json'

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Text for a person, or JSON lines for a collector. */
  readonly format: LogFormat
  /** The least severe level written. @default 'info' */
  readonly level?: LogLevel
  /** Writes one line (without its newline). */
  readonly write: (line: string) => void
  /** Colours, for a terminal (text only). @default false */
  readonly color?: boolean
  /** The clock. @default Date.now */
  readonly now?: () => number
}

/** What the text and JSON loggers share: one line per call, at or above the level. */
export type LineWriter = (level: LogLevel, message: string, fields: LogFields | undefined) => void

/** A {@link Logger} over a line writer, dropping what is below `level`. */
export function levelled(write: LineWriter, level: LogLevel = 'info'): Logger {
  const min = LOG_LEVELS.indexOf(level)
  const at =
    (lineLevel: LogLevel) =>
    (message: string, fields?: LogFields): void => {
      if (LOG_LEVELS.indexOf(lineLevel) >= min) write(lineLevel, message, fields)
    }
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}
