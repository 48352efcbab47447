#!/usr/bin/env node
// Docs are code, run: every ```ts block of the READMEs and docs/ (the ones check-docs.mjs type-checks) runs
// as written, in its own process, against the Stripe simulator (scripts/docs-run-preload.ts puts the
// process in front of it and sets the environment variables the docs read). A block fails when it
// throws or leaves a rejection unhandled within its few seconds. The packages run from their builds
// (`npm run build` first), as a user's app runs them. A block that cannot run on a machine by design
// says `no-run` in its info string (```ts no-run), with the reason in an HTML comment just above it.
// Blocks run in .docs-run/, where the files they name (./logo.png) are.

import { execFile } from 'node:child_process'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { codeBlocks, LANGUAGES, markdownFiles, root } from './docs-blocks.mjs'

const out = join(root, '.docs-run')
const preload = join(root, 'scripts/docs-run-preload.ts')
const TIME_LIMIT_MS = 30_000

await rm(out, { recursive: true, force: true })
await mkdir(out, { recursive: true })
// A package of its own, so that a block's `import '@cashnotify/core'` resolves through the workspace.
await writeFile(join(out, 'package.json'), '{ "type": "module", "private": true }\n')
const { samplePng } = await import('@cashnotify/stripe-simulator')
await writeFile(join(out, 'logo.png'), samplePng())

const blocks = []
let skipped = 0
for (const source of markdownFiles()) {
  const markdown = await readFile(join(root, source), 'utf8')
  for (const block of codeBlocks(markdown)) {
    if (!LANGUAGES.has(block.language)) continue
    if (block.flags.includes('no-check') || block.flags.includes('no-run')) {
      skipped++
      continue
    }
    const file = join(out, `${source.replaceAll('/', '__').replace(/\.md$/, '')}.L${block.line}.ts`)
    await writeFile(file, `${block.code}\nexport {}\n`)
    blocks.push({ source, line: block.line, file })
  }
}

const run = promisify(execFile)
async function runBlock(block) {
  const started = Date.now()
  try {
    await run(process.execPath, ['--import', 'tsx', '--import', preload, block.file], {
      cwd: out,
      timeout: TIME_LIMIT_MS,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, NODE_OPTIONS: '', FORCE_COLOR: '0' },
    })
    return { ...block, ok: true, ms: Date.now() - started }
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim()
    return { ...block, ok: false, ms: Date.now() - started, output }
  }
}

// Each block waits a few seconds for its polls and sends: run a few at once.
const results = []
const queue = [...blocks]
const workers = Array.from({ length: Math.max(2, availableParallelism()) }, async () => {
  for (let block = queue.shift(); block; block = queue.shift()) results.push(await runBlock(block))
})
await Promise.all(workers)

const failed = results.filter((result) => !result.ok)
for (const result of failed) {
  console.error(`✗ ${result.source}:${result.line} failed when run:\n${result.output}\n`)
}
const summary = `${results.length} \`\`\`ts blocks run against the Stripe simulator (${skipped} no-run or no-check)`
if (failed.length > 0) {
  console.error(`run:docs: ${summary}: ${failed.length} failed.`)
  process.exit(1)
}
console.log(`run:docs: ${summary}, all ran.`)
