import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { EXIT, type Output, runCheckKey } from './check-key-command.js'
import { runKeyDemo } from './key-demo.js'

const HELP = `cashnotify — know the moment a Stripe account makes a sale

Usage:
  cashnotify check-key <key> [--json] [--stripe-url URL]
  cashnotify check-key --key-env NAME     read the key from environment variable NAME
  cashnotify check-key -                  read the key from standard input
  cashnotify demo                         check keys against a local Stripe simulator (no key needed)

check-key exit codes: 0 all required permissions granted, 1 a required permission is missing,
2 invalid or refused key, 3 Stripe unreachable.
A key given on the command line can end up in your shell history: prefer --key-env or -.`

function readKey(positional: string | undefined, keyEnv: string | undefined): string | undefined {
  if (keyEnv) return process.env[keyEnv]
  if (positional === '-') return readFileSync(0, 'utf8').trim()
  return positional
}

/** Runs the CLI with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      'stripe-url': { type: 'string' },
      'key-env': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
  const [command, keyArgument] = positionals
  if (values.help || command === undefined || command === 'help') {
    output.out(HELP)
    return command === undefined && !values.help ? EXIT.usage : EXIT.ok
  }
  if (command === 'check-key') {
    const key = readKey(keyArgument, values['key-env'])
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
  if (command === 'demo') return runKeyDemo(output)
  output.err(`Unknown command "${command}".\n\n${HELP}`)
  return EXIT.usage
}
