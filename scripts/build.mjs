#!/usr/bin/env node
// The build (`npm run build`): every package whose inputs changed since its last build, and only those.
//   1. at the same time: `tsc -b tsconfig.build.json` (the libraries' declarations, once and incrementally,
//      into .build/types) on one core, and tsup's ESM + CJS builds (esbuild) of the stale packages on the others;
//   2. tsup's roll-up of each stale library's declarations into dist/*.d.ts and dist/*.d.cts
//      (see the root tsup.config.ts).
// A package is up to date when a hash of its inputs matches the one recorded at its last build
// (scripts/build-plan.mjs). Flags:
//   --js     JavaScript only, no declarations: what `npm run demo` and `npm start` need;
//   --force  rebuild every package.

import { spawn } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { planBuild, recordBuild } from './build-plan.mjs'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const jsOnly = process.argv.includes('--js')
const force = process.argv.includes('--force')

/** Every package that is built, and whether it publishes declarations. */
const PACKAGES = [
  { dir: 'packages/core', types: true },
  { dir: 'packages/stripe-simulator', types: true },
  { dir: 'packages/notifier-desktop', types: true },
  { dir: 'packages/notifier-webhook', types: true },
  { dir: 'packages/notifier-email', types: true },
  { dir: 'packages/redis', types: true },
  { dir: 'packages/charts', types: true },
  { dir: 'packages/cli', types: false },
]

/** Runs a command, its output passed through; resolves with its exit code. */
function run(command, args, options) {
  return new Promise((resolveRun) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options })
    child.on('error', () => resolveRun(1))
    child.on('exit', (code) => resolveRun(code ?? 1))
  })
}

/** Runs `task` over `items`, `limit` at a time; resolves with the items whose task failed. */
async function pool(items, limit, task) {
  const failed = []
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++]
      if ((await task(item)) !== 0) failed.push(item)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return failed
}

const started = Date.now()
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`
const stale = planBuild(root, PACKAGES, { jsOnly, force })
const what = jsOnly ? 'JavaScript' : 'JavaScript and declarations'
if (stale.length === 0) {
  console.log(`build: every package is up to date (${what}; ${seconds()}).`)
  process.exit(0)
}

const tsup = join(root, 'node_modules/tsup/dist/cli-default.js')
const cores = availableParallelism()
/** tsup in one package: `js` (ESM + CJS), or `types` (the roll-up of what `tsc -b` emitted). */
const tsupIn = (pkg, mode) =>
  run(process.execPath, [tsup, '--silent'], {
    cwd: join(root, pkg.dir),
    env: { ...process.env, CASHNOTIFY_BUILD: mode },
  })

// The JavaScript does not need the declarations: it builds on the other cores while `tsc -b` runs.
const typed = jsOnly ? [] : stale.filter(({ pkg }) => pkg.types)
const tsc = join(root, 'node_modules/typescript/bin/tsc')
const [declared, jsFailed] = await Promise.all([
  typed.length > 0 ? run(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd: root }) : 0,
  pool(stale, typed.length > 0 ? Math.max(1, cores - 1) : cores, ({ pkg }) => tsupIn(pkg, 'js')),
])
if (declared !== 0) console.error('build: the declarations did not compile (tsc -b tsconfig.build.json).')
const typesFailed = declared === 0 ? await pool(typed, cores, ({ pkg }) => tsupIn(pkg, 'types')) : typed
const failed = [...new Set([...jsFailed, ...typesFailed])]
for (const item of stale) if (!failed.includes(item)) recordBuild(root, item, { jsOnly })
const names = (list) => list.map(({ pkg }) => pkg.dir.replace(/^packages\//, '')).join(', ')
if (failed.length > 0) {
  console.error(`build: ${names(failed)} failed (${seconds()}).`)
  process.exit(1)
}
const fresh = PACKAGES.length - stale.length
console.log(
  `build: ${names(stale)} built (${what}) in ${seconds()}${fresh > 0 ? `; ${fresh} up to date` : ''}.`,
)
