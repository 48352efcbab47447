#!/usr/bin/env node
// Docs are code (STYLE.md habit 13): every ```ts block of README.md, docs/**/*.md and the packages' and
// examples' README.md is type-checked, strictly, against the workspace sources (the paths of tsconfig.json).
// A block whose info string says `no-check` (```ts no-check) is skipped: use it for fragments only.
// Each block is its own module (top-level await allowed). Errors point at the markdown file and line.

import { execFile } from 'node:child_process'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { codeBlocks, LANGUAGES, markdownFiles, root } from './docs-blocks.mjs'

const out = join(root, '.docs-check')

const sources = markdownFiles()
await rm(out, { recursive: true, force: true })
await mkdir(out, { recursive: true })

/** Generated file name -> where its first line comes from. */
const origins = new Map()
let skipped = 0
for (const source of sources) {
  const markdown = await readFile(join(root, source), 'utf8')
  for (const block of codeBlocks(markdown)) {
    if (!LANGUAGES.has(block.language)) continue
    if (block.flags.includes('no-check') || block.language.includes('no-check')) {
      skipped++
      continue
    }
    const file = `${source.replaceAll('/', '__').replace(/\.md$/, '')}.L${block.line}.ts`
    await writeFile(join(out, file), `${block.code}\nexport {}\n`)
    origins.set(file, { source, line: block.line })
  }
}

if (origins.size === 0) {
  console.log(
    `check:docs: no \`\`\`ts blocks to check in ${sources.length} markdown files (${skipped} no-check).`,
  )
  process.exit(0)
}

const tsconfig = {
  extends: '../tsconfig.json',
  compilerOptions: {
    noEmit: true,
    noUnusedLocals: false,
    allowUnusedLabels: false,
    allowUnreachableCode: false,
  },
  include: ['*.ts'],
}
await writeFile(join(out, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`)

const tsc = join(root, 'node_modules/typescript/bin/tsc')
const result = await promisify(execFile)(process.execPath, [tsc, '-p', out, '--pretty', 'false'], {
  cwd: root,
  maxBuffer: 64 * 1024 * 1024,
}).then(
  () => ({ ok: true, output: '' }),
  (error) => ({ ok: false, output: `${error.stdout ?? ''}${error.stderr ?? ''}` }),
)

// `.docs-check/README.L12.ts(3,7): error TS...` -> `README.md:14:7: error TS...`
const mapped = result.output.replace(
  /^(?:\.docs-check\/)?([^\s(]+\.ts)\((\d+),(\d+)\)/gm,
  (match, file, line, col) => {
    const origin = origins.get(file)
    return origin ? `${origin.source}:${origin.line + Number(line) - 1}:${col}` : match
  },
)
if (mapped.trim()) console.error(mapped.trim())

const summary = `${origins.size} \`\`\`ts blocks from ${sources.length} markdown files (${skipped} no-check)`
if (result.ok) {
  console.log(`check:docs: ${summary} type-check.`)
} else {
  console.error(
    `check:docs: ${summary}: type errors above. Fix the example, or mark a fragment \`\`\`ts no-check.`,
  )
  process.exit(1)
}
