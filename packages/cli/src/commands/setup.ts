import { ConfigError, type Logger } from '@cashnotify/core'
import { type LoadedConfig, loadConfig, resolvePath } from '../config/load.js'
import type { RunContext } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { createLogger, type LogFormat, type LogLevel } from '../log/logger.js'
import { printableText } from '../output.js'
import { commandLine } from '../shell.js'
import { defaultStatePath } from '../store/open-state.js'

/** Flags every long-running command takes about its logs. */
export interface LogFlags {
  /** `--log-format`: overrides the config's `log.format`. */
  readonly logFormat?: LogFormat | undefined
  /** `--verbose`: debug lines too. */
  readonly verbose?: boolean | undefined
}

/** The logger a command writes through, and how it was chosen. */
export interface CommandLog {
  readonly logger: Logger
  readonly format: LogFormat
  readonly color: boolean
}

/**
 * The logger of a command: the flag, else the config, else text on a terminal and JSON lines elsewhere.
 * Colours only on a terminal, and never with `NO_COLOR` set.
 */
export function commandLog(
  loaded: LoadedConfig | undefined,
  flags: LogFlags,
  context: RunContext,
): CommandLog {
  const configured = loaded?.config.log?.format
  const format: LogFormat =
    flags.logFormat ?? (configured && configured !== 'auto' ? configured : context.tty ? 'text' : 'json')
  const level: LogLevel = flags.verbose ? 'debug' : (loaded?.config.log?.level ?? 'info')
  const color = format === 'text' && context.tty && !context.env.NO_COLOR
  return { logger: createLogger({ format, level, color, write: context.output.err }), format, color }
}

/** Loads the config, or writes why it cannot and returns the exit code. */
export async function loadOrExplain(
  path: string | undefined,
  context: RunContext,
): Promise<LoadedConfig | number> {
  if (path === undefined) {
    context.output.err(
      'This command needs --config <file>: the JSON config (see the README’s config reference).',
    )
    return EXIT_CODES.usage
  }
  try {
    return await loadConfig(path)
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error
    context.output.err(printableText(error.message))
    return EXIT_CODES.config
  }
}

/**
 * Where the state file is: `--state`, else the config's `store`, else the default.
 * @throws {@link ConfigError} when the config's store is Redis: it has no state file.
 */
export function statePath(loaded: LoadedConfig, flag: string | undefined, env: RunContext['env']): string {
  if (flag !== undefined) return resolvePath(process.cwd(), flag)
  const { store } = loaded.config
  if (typeof store === 'object')
    throw new ConfigError(
      `The config's \`store\` is Redis: this command reads a SQLite state file, and does not read Redis yet. Give one with --state.`,
    )
  return store === undefined ? defaultStatePath(env) : resolvePath(loaded.dir, store)
}

/**
 * `cashnotify dead-letters` for this state, as a command to paste. `--state` is always named: the state
 * may come from `--state` or from systemd's `$STATE_DIRECTORY`, which the shell it is pasted in has not.
 */
export function deadLettersCommand(
  program: string,
  loaded: LoadedConfig,
  state: string,
  more: readonly string[] = [],
): string {
  return commandLine(program, ['dead-letters', '--config', loaded.source, '--state', state, ...more])
}
