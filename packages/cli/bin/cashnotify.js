#!/usr/bin/env node
// The `cashnotify` command. An installed package runs its build, dist/cli.js. A clone of the repository
// that was not built yet (`npm ci`, then `npx cashnotify …`) runs the TypeScript sources instead, through
// tsx and the workspace's paths to the other packages' sources, as the tests do. This file is committed,
// not built, so that `npm ci` can link the command before anything is built.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const built = new URL('../dist/cli.js', import.meta.url)
const sources = new URL('../src/cli.ts', import.meta.url)
const workspace = new URL('../../../tsconfig.json', import.meta.url)

if (existsSync(built)) {
  await import(built.href)
} else if (existsSync(sources) && existsSync(workspace)) {
  const { register } = await import('tsx/esm/api')
  register({ tsconfig: fileURLToPath(workspace) })
  await import(sources.href)
} else {
  console.error(`cashnotify: ${fileURLToPath(built)} is missing. Reinstall @cashnotify/cli.`)
  process.exitCode = 1
}
