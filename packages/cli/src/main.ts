import { readFileSync } from 'node:fs'
import { type CommandLine, type CommandName, readCommandLine } from './command-line.js'
import { runAccounts } from './commands/accounts.js'
import { runCheckKey } from './commands/check-key.js'
import { runDeadLetters } from './commands/dead-letters.js'
import { runDemo } from './commands/demo.js'
import { runWatch } from './commands/watch.js'
import { processContext, type RunContext } from './context.js'
import { runKeyDemo } from './demo/keys.js'
import { EXIT_CODES } from './exit-codes.js'
import { HELP } from './help.js'
import { type Output, printableText } from './output.js'

/** Seconds the demo runs when `--duration` is not given. */
const DEMO_SECONDS = 60

type Start = (line: CommandLine, run: RunContext) => Promise<number>

/** Writes why a command line cannot run, and returns the usage exit code. */
function usage(run: RunContext, message: string): number {
  run.output.err(printableText(message))
  return EXIT_CODES.usage
}

/** The key to check: from `--key-env` or standard input (trimmed, as key files are), else as given. */
function keyOf({ values, rest }: CommandLine, run: RunContext): string | { readonly problem: string } {
  const name = values['key-env']
  if (name !== undefined) {
    const value = run.env[name]?.trim()
    if (value === undefined)
      return {
        problem: `Environment variable ${name} (--key-env) is not set. Set it to the key, or pipe the key in with \`check-key -\`.`,
      }
    return value === '' ? { problem: `Environment variable ${name} (--key-env) is empty.` } : value
  }
  const key = rest[0] === '-' ? readFileSync(0, 'utf8').trim() : rest[0]
  // A key given as an argument is left as it is: core says what is wrong with stray whitespace.
  return key === undefined || key === '' ? { problem: `check-key needs a key.\n\n${HELP}` } : key
}

function checkKey(line: CommandLine, run: RunContext): Promise<number> | number {
  const key = keyOf(line, run)
  if (typeof key !== 'string') return usage(run, key.problem)
  return runCheckKey({ key, json: line.values.json, stripeUrl: line.values['stripe-url'] }, run.output)
}

function deadLetters({ values, rest, logFormat }: CommandLine, run: RunContext): Promise<number> | number {
  if (!values.replay && rest.length > 0)
    return usage(
      run,
      `Dead letter ids are for --replay: cashnotify dead-letters --config FILE --replay ${rest.join(' ')}`,
    )
  const { config, state, json, replay, verbose } = values
  return runDeadLetters({ config, state, json, replay, ids: rest, logFormat, verbose }, run)
}

function count(text: string | undefined, name: string, min: number): number | string | undefined {
  if (text === undefined) return undefined
  const value = Number(text)
  return Number.isInteger(value) && value >= min
    ? value
    : `--${name} must be a whole number of at least ${min}, got ${JSON.stringify(text)}.`
}

function demo({ values, rest, logFormat }: CommandLine, run: RunContext): Promise<number> | number {
  if (rest[0] === 'keys' && rest.length === 1) return runKeyDemo(run.output)
  if (rest.length > 0)
    return usage(run, `Unknown demo "${rest.join(' ')}": \`cashnotify demo\` or \`cashnotify demo keys\`.`)
  const duration = count(values.duration, 'duration', 0) ?? DEMO_SECONDS
  const seed = count(values.seed, 'seed', 0) ?? 1
  if (typeof duration === 'string') return usage(run, duration)
  if (typeof seed === 'string') return usage(run, seed)
  const seconds = duration === 0 ? undefined : duration
  return runDemo({ duration: seconds, seed, logFormat, verbose: values.verbose }, run)
}

const COMMANDS: Readonly<Record<CommandName, Start>> = {
  'check-key': async (line, run) => checkKey(line, run),
  watch: ({ values, logFormat }, run) =>
    runWatch(
      {
        config: values.config,
        state: values.state,
        stripeUrl: values['stripe-url'],
        logFormat,
        verbose: values.verbose,
      },
      run,
    ),
  accounts: ({ values }, run) =>
    runAccounts({ config: values.config, json: values.json, stripeUrl: values['stripe-url'] }, run),
  'dead-letters': async (line, run) => deadLetters(line, run),
  demo: async (line, run) => demo(line, run),
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
  const read = readCommandLine(argv)
  if (read.kind === 'help') {
    output.out(HELP)
    return read.code
  }
  if (read.kind === 'usage') return usage(run, read.message)
  return COMMANDS[read.line.command](read.line, run)
}
