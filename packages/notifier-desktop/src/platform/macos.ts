import { desktopError, firstLine, setupError } from '../errors.js'
import type { ResolvedOptions } from '../resolve-options.js'
import { CommandFailure, findExecutable, run } from '../run.js'
import type { DesktopMessage, PlatformDriver } from './types.js'

/** Where macOS keeps osascript. */
export const OSASCRIPT = '/usr/bin/osascript'
/** The sound played when `sound` is `true`: terminal-notifier's name for the user's notification sound. */
export const DEFAULT_TERMINAL_NOTIFIER_SOUND = 'default'
/** The sound played by osascript when `sound` is `true` (a name from /System/Library/Sounds). */
export const DEFAULT_OSASCRIPT_SOUND = 'Glass'

/** A command line: the program and its arguments (never through a shell). */
export interface CommandLine {
  readonly command: string
  readonly args: readonly string[]
}

/** The options the macOS driver reads. */
export type MacosOptions = Pick<ResolvedOptions, 'sound' | 'openOnClick' | 'env' | 'spawn'>

/**
 * The osascript command for a message: AppleScript's `display notification`. It shows no custom icon
 * and a click opens Script Editor, not the URL (an AppleScript limit).
 */
export function osascriptCommand(message: DesktopMessage, options: Pick<MacosOptions, 'sound'>): CommandLine {
  let script = `display notification ${appleScriptString(message.body)} with title ${appleScriptString(message.title)}`
  if (options.sound !== false) {
    script += ` sound name ${appleScriptString(options.sound === true ? DEFAULT_OSASCRIPT_SOUND : options.sound)}`
  }
  return { command: OSASCRIPT, args: ['-e', script] }
}

/**
 * The terminal-notifier command for a message: the logo as the content image, a click opening the URL,
 * and the notification id as the group (a retry replaces the notification instead of adding one).
 */
export function terminalNotifierCommand(
  program: string,
  message: DesktopMessage,
  options: Pick<MacosOptions, 'sound' | 'openOnClick'>,
): CommandLine {
  const args = [
    '-title',
    terminalNotifierText(message.title),
    '-message',
    terminalNotifierText(message.body || message.title),
    '-group',
    message.id,
  ]
  if (message.iconPath !== undefined) args.push('-contentImage', message.iconPath)
  if (options.openOnClick && message.url !== undefined) args.push('-open', message.url)
  if (options.sound !== false) {
    args.push('-sound', options.sound === true ? DEFAULT_TERMINAL_NOTIFIER_SOUND : options.sound)
  }
  return { command: program, args }
}

/**
 * An AppleScript string literal: backslashes and double quotes escaped, line breaks and tabs as
 * `\n`, `\r`, `\t`, other control characters dropped.
 */
export function appleScriptString(text: string): string {
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r/g, '\\r')
    .replace(/\n/g, '\\n')
    .replace(/\t/g, '\\t')
    // biome-ignore lint/suspicious/noControlCharactersInRegex: dropping control characters is the point
    .replace(/[\u0000-\u001f\u007f]/g, '')
  return `"${escaped}"`
}

/**
 * terminal-notifier reads a value starting with `-`, `[` or `(` as something else; a backslash in front
 * keeps it text (as its README says).
 */
export function terminalNotifierText(text: string): string {
  return /^[-[(]/.test(text) ? `\\${text}` : text
}

/**
 * macOS: terminal-notifier when it is on PATH (`brew install terminal-notifier`): icon and click-to-open;
 * otherwise osascript, which ships with macOS.
 */
export function macosDriver(options: MacosOptions): PlatformDriver {
  let terminalNotifier: Promise<string | undefined> | undefined
  const findTerminalNotifier = (): Promise<string | undefined> => {
    terminalNotifier ??= findExecutable('terminal-notifier', options.env)
    return terminalNotifier
  }
  return {
    check: async () => {
      if (
        (await findTerminalNotifier()) === undefined &&
        (await findExecutable(OSASCRIPT, options.env)) === undefined
      ) {
        throw setupError(
          `Cannot show desktop notifications: neither terminal-notifier nor ${OSASCRIPT} was found.`,
        )
      }
    },
    show: async (message, signal) => {
      const program = await findTerminalNotifier()
      const line = program
        ? terminalNotifierCommand(program, message, options)
        : osascriptCommand(message, options)
      let outcome: Awaited<ReturnType<typeof run>>
      try {
        outcome = await run(line.command, line.args, { spawn: options.spawn, env: options.env, signal })
      } catch (error) {
        if (error instanceof CommandFailure && error.reason === 'not-found') {
          terminalNotifier = undefined
          throw setupError(`Cannot show desktop notifications: ${line.command} was not found.`, error)
        }
        throw error
      }
      if ('exit' in outcome && outcome.exit.code !== 0) {
        throw desktopError(
          `${program ? 'terminal-notifier' : 'osascript'} failed: ${firstLine(outcome.exit.stderr) || `exit code ${outcome.exit.code}`}. ` +
            'If notifications never appear, allow them in System Settings › Notifications ' +
            `(for ${program ? 'terminal-notifier' : 'Script Editor'}).`,
        )
      }
    },
    close: async () => {},
  }
}
