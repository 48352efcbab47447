import { parseArgs } from 'node:util'
import { HELP } from './help.js'
import type { LogFormat } from './log/logger.js'

const OPTIONS = {
  json: { type: 'boolean', default: false },
  'stripe-url': { type: 'string' },
  'key-env': { type: 'string' },
  help: { type: 'boolean', short: 'h', default: false },
  config: { type: 'string', short: 'c' },
  state: { type: 'string' },
  'log-format': { type: 'string' },
  verbose: { type: 'boolean', short: 'v', default: false },
  replay: { type: 'boolean', default: false },
  duration: { type: 'string' },
  seed: { type: 'string' },
} as const

/** The commands, and the options each takes (beyond --help). */
const ALLOWED = {
  'check-key': ['json', 'stripe-url', 'key-env'],
  watch: ['config', 'state', 'stripe-url', 'log-format', 'verbose'],
  accounts: ['config', 'json', 'stripe-url'],
  'dead-letters': ['config', 'state', 'json', 'replay', 'log-format', 'verbose'],
  demo: ['duration', 'seed', 'log-format', 'verbose'],
} as const satisfies Record<string, ReadonlyArray<keyof typeof OPTIONS>>

/** A command of the CLI. */
export type CommandName = keyof typeof ALLOWED

/** The options, as parsed. */
export type OptionValues = ReturnType<typeof options>['values']

/** A command line that can run: the command, its options (checked) and its other arguments. */
export interface CommandLine {
  readonly command: CommandName
  readonly values: OptionValues
  readonly rest: readonly string[]
  /** `--log-format`, checked. */
  readonly logFormat: LogFormat | undefined
}

/** What a command line asks for: help, a command, or nothing that can run (and why). */
export type ReadCommandLine =
  | { readonly kind: 'help'; readonly code: number }
  | { readonly kind: 'usage'; readonly message: string }
  | { readonly kind: 'run'; readonly line: CommandLine }

const isCommand = (name: string): name is CommandName => Object.hasOwn(ALLOWED, name)

/** `--stripe-url` must be where an HTTP(S) API listens; a typo is a usage error, not a missing permission. */
export function stripeUrlProblem(text: string | undefined): string | undefined {
  if (text === undefined) return undefined
  let url: URL | undefined
  try {
    url = new URL(text)
  } catch {
    url = undefined
  }
  if (url && (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '') return undefined
  return `--stripe-url must be an http or https URL such as http://127.0.0.1:12111, got ${JSON.stringify(text)}.`
}

function options(argv: string[]) {
  return parseArgs({ args: argv, allowPositionals: true, tokens: true, options: OPTIONS })
}

/** Reads and checks a command line, without running anything. */
export function readCommandLine(argv: string[]): ReadCommandLine {
  let parsed: ReturnType<typeof options>
  try {
    parsed = options(argv)
  } catch (error) {
    return { kind: 'usage', message: `${(error as Error).message}\n\n${HELP}` }
  }
  const { values, positionals, tokens } = parsed
  const [command, ...rest] = positionals
  if (values.help || command === undefined || command === 'help')
    return { kind: 'help', code: command === undefined && !values.help ? 64 : 0 }
  if (!isCommand(command)) return { kind: 'usage', message: `Unknown command "${command}".\n\n${HELP}` }
  const allowed: readonly string[] = ALLOWED[command]
  const given = tokens.flatMap((token) => (token.kind === 'option' ? [token.name] : []))
  const foreign = [...new Set(given.filter((name) => name !== 'help' && !allowed.includes(name)))]
  if (foreign.length > 0)
    return {
      kind: 'usage',
      message: `${command} does not take ${foreign.map((name) => `--${name}`).join(', ')}.\n\n${HELP}`,
    }
  const logFormat = values['log-format']
  if (logFormat !== undefined && logFormat !== 'text' && logFormat !== 'json')
    return { kind: 'usage', message: `--log-format must be text or json, got ${JSON.stringify(logFormat)}.` }
  const badUrl = stripeUrlProblem(values['stripe-url'])
  if (badUrl) return { kind: 'usage', message: badUrl }
  return { kind: 'run', line: { command, values, rest, logFormat } }
}
