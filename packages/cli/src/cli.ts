#!/usr/bin/env node
import { redactSecrets } from '@cashnotify/core'
import { EXIT_CODES } from './exit-codes.js'
import { invocation } from './invocation.js'
import { main } from './main.js'
import { type Output, printableText } from './output.js'

const output: Output = { out: (text) => console.log(text), err: (text) => console.error(text) }
main(process.argv.slice(2), output, { program: invocation(process.argv, process.env) }).then(
  (code) => {
    process.exitCode = code
    // Every command closes what it opened; this only ends a process that a forced stop (a second
    // Ctrl-C) left with sends in flight. Unref'd: it never keeps a finished process alive.
    setTimeout(() => process.exit(code), 1000).unref()
  },
  (error: unknown) => {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error)
    console.error(
      printableText(
        redactSecrets(`cashnotify stopped on an unexpected error (a bug: please report it): ${detail}`),
      ),
    )
    process.exitCode = EXIT_CODES.software
  },
)
