#!/usr/bin/env node
// `npm test`: every step, each run even when an earlier one failed (only the steps that need the build are
// left out when it failed), then one summary of all of them, ending with one line `test: N passed, N failed`.

import { spawn } from 'node:child_process'

/** The steps, in order: [name, npm script, whether it needs the build]. */
const STEPS = [
  ['build', 'build', false],
  ['lint', 'lint', false],
  ['typecheck', 'typecheck', false],
  ['docs examples', 'check:docs', false],
  ['house rules', 'check:house', false],
  ['vitest', 'test:unit', false],
  ['packages', 'check:packages', true],
  ['API reports', 'check:api', true],
  ['docs run', 'run:docs', true],
  ['typedoc', 'docs', false],
]

const npm = process.env.npm_execpath
/** Runs an npm script, its output passed through; resolves with its exit code. */
function run(script) {
  const [command, args] = npm
    ? [process.execPath, [npm, 'run', '-s', script]]
    : ['npm', ['run', '-s', script]]
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: 'inherit' })
    child.on('error', () => resolve(1))
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)))
  })
}

const results = []
let built = true
for (const [name, script, needsBuild] of STEPS) {
  if (needsBuild && !built) {
    results.push({ name, outcome: 'skipped', detail: 'the build failed' })
    continue
  }
  console.log(`\n━━ ${name} (npm run ${script})\n`)
  const started = Date.now()
  const code = await run(script)
  const seconds = (Date.now() - started) / 1000
  if (script === 'build' && code !== 0) built = false
  results.push({
    name,
    outcome: code === 0 ? 'passed' : 'failed',
    detail: `${seconds.toFixed(1)} s${code === 0 ? '' : `, exit ${code}`}`,
  })
}

const count = (outcome) => results.filter((result) => result.outcome === outcome).length
const mark = { passed: '✓', failed: '✗', skipped: '-' }
console.log('\nnpm test, every step:')
for (const { name, outcome, detail } of results)
  console.log(`  ${mark[outcome]} ${name.padEnd(14)} ${outcome} (${detail})`)
const skipped = count('skipped')
console.log(
  `test: ${count('passed')} passed, ${count('failed')} failed${skipped > 0 ? `, ${skipped} skipped` : ''}`,
)
process.exit(count('failed') + skipped > 0 ? 1 : 0)
