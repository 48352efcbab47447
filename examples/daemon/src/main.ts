import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { EXIT, type Output, runCheckKey } from './check-key-command.js'
import { runAccounts } from './commands/accounts.js'
import { runDeadLetters } from './commands/dead-letters.js'
import { runDemo } from './commands/demo.js'
import { runWatch } from './commands/watch.js'
import { processContext, type RunContext } from './context.js'
import { runKeyDemo } from './key-demo.js'
import type { LogFormat } from './log/logger.js'

const HELP = `cashnotify — know the moment a Stripe account makes a sale

Usage:
  cashnotify watch --config FILE          watch the config's accounts and notify, until SIGINT/SIGTERM
        [--state FILE] [--stripe-url URL] [--log-format text|json] [--verbose]
  cashnotify accounts --config FILE       check each account's key: valid, degraded or invalid [--json]
  cashnotify dead-letters --config FILE   list the notifications that could not be delivered [--json]
  cashnotify dead-letters --config FILE --replay [ID ...]
                                          send them (all, or these) again; stop the daemon first
  cashnotify check-key <key> [--json] [--stripe-url URL]
  cashnotify check-key --key-env NAME     read the key from environment variable NAME
  cashnotify check-key -                  read the key from standard input
  cashnotify demo [--duration SECONDS] [--seed N]
                                          a simulated Stripe business, watched and notified (no key
                                          needed); 60 s by default, --duration 0 runs until Ctrl-C
  cashnotify demo keys                    check keys against a local Stripe simulator

check-key exit codes: 0 all required permissions granted, 1 a required permission is missing,
2 invalid or refused key, 3 Stripe unreachable.
accounts exit codes: 0 every account can be watched, 2 one is invalid, 3 Stripe unreachable.
watch exits 0 after a clean stop, 78 when the config or a key cannot be read.
A key given on the command line can end up in your shell history: prefer --key-env or -.`

/** The options each command takes (beyond --help). */
const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  'check-key': ['json', 'stripe-url', 'key-env'],
  watch: ['config', 'state', 'stripe-url', 'log-format', 'verbose'],
  accounts: ['config', 'json', 'stripe-url'],
  'dead-letters': ['config', 'state', 'json', 'replay', 'log-format', 'verbose'],
  demo: ['duration', 'seed', 'log-format', 'verbose'],
}

/** Seconds the demo runs when `--duration` is not given. */
const DEMO_SECONDS = 60

function readKey(positional: string | undefined, keyEnv: string | undefined): string | undefined {
  if (keyEnv) return process.env[keyEnv]
  if (positional === '-') return readFileSync(0, 'utf8').trim()
  return positional
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
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
    },
  })
}

function count(text: string | undefined, name: string, min: number): number | string | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  return Number.isInteger(value) && value >= min
    ? value
    : `--${name} must be a whole number of at least ${min}, got "${text}".`
}

/**
 * Runs the CLI with `argv` (without node and script) and returns the exit code. `context` is the
 * process's by default; tests pass their own output, environment and signal source.
 */
export async function main(
  argv: string[],
  output: Output,
  context: Partial<RunContext> = {},
): Promise<number> {
  const run: RunContext = { ...processContext(output), ...context, output }
  const { values, positionals } = parse(argv)
  const [command, ...rest] = positionals
  if (values.help || command === undefined || command === 'help') {
    output.out(HELP)
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok
  }
  const allowed = ALLOWED[command]
  if (!allowed) {
    output.err(`Unknown command "${command}".\n\n${HELP}`)
    return EXIT.usage
  }
  const given = argv.filter((arg) => arg.startsWith('--')).map((arg) => arg.slice(2).split('=')[0] ?? '')
  const foreign = given.filter((name) => name !== 'help' && !allowed.includes(name))
  if (foreign.length > 0) {
    output.err(`${command} does not take ${foreign.map((name) => `--${name}`).join(', ')}.\n\n${HELP}`)
    return EXIT.usage
  }
  const logFormat = values['log-format']
  if (logFormat !== undefined && logFormat !== 'text' && logFormat !== 'json') {
    output.err(`--log-format must be text or json, got "${logFormat}".`)
    return EXIT.usage
  }
  const logFlags = { logFormat: logFormat as LogFormat | undefined, verbose: values.verbose }
  switch (command) {
    case 'check-key': {
      const key = readKey(rest[0], values['key-env'])
      if (key === undefined) {
        output.err(
          values['key-env']
            ? `Environment variable ${values['key-env']} is not set.`
            : `check-key needs a key.\n\n${HELP}`,
        )
        return EXIT.usage
      }
      return runCheckKey({ key, json: values.json, stripeUrl: values['stripe-url'] }, output)
    }
    case 'watch':
      return runWatch(
        { config: values.config, state: values.state, stripeUrl: values['stripe-url'], ...logFlags },
        run,
      )
    case 'accounts':
      return runAccounts({ config: values.config, json: values.json, stripeUrl: values['stripe-url'] }, run)
    case 'dead-letters':
      if (!values.replay && rest.length > 0) {
        output.err(
          `Dead letter ids are for --replay: cashnotify dead-letters --config FILE --replay ${rest.join(' ')}`,
        )
        return EXIT.usage
      }
      return runDeadLetters(
        {
          config: values.config,
          state: values.state,
          json: values.json,
          replay: values.replay,
          ids: rest,
          ...logFlags,
        },
        run,
      )
    default: {
      if (rest[0] === 'keys') return runKeyDemo(output)
      if (rest.length > 0) {
        output.err(`Unknown demo "${rest.join(' ')}": \`cashnotify demo\` or \`cashnotify demo keys\`.`)
        return EXIT.usage
      }
      const duration = count(values.duration, 'duration', 0)
      const seed = count(values.seed, 'seed', 0)
      const problem = [duration, seed].find((value) => typeof value === 'string')
      if (typeof problem === 'string') {
        output.err(problem)
        return EXIT.usage
      }
      const seconds = (duration as number | undefined) ?? DEMO_SECONDS
      return runDemo(
        {
          duration: seconds === 0 ? undefined : seconds,
          seed: (seed as number | undefined) ?? 1,
          ...logFlags,
        },
        run,
      )
    }
  }
}
