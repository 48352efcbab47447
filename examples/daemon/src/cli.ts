#!/usr/bin/env node
import type { Output } from './check-key-command.js'
import { EXIT } from './check-key-command.js'
import { main } from './main.js'

const output: Output = { out: (text) => console.log(text), err: (text) => console.error(text) }
main(process.argv.slice(2), output).then(
  (code) => {
    process.exitCode = code
    // Every command closes what it opened; this only ends a process that a forced stop (a second
    // Ctrl-C) left with sends in flight. Unref'd: it never keeps a finished process alive.
    setTimeout(() => process.exit(code), 1000).unref()
  },
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error)
    process.exitCode = EXIT.usage
  },
)
