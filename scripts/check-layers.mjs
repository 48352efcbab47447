#!/usr/bin/env node
// The house rules of @cashnotify/core, checked from its sources: folders are stages in the order data
// flows, and a file imports only from its own stage or an earlier one (type-only imports included), so
// the import graph has no cycle; every source file of every package stays under 300 lines and every
// function under 80.

import { readdirSync, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const core = join(root, 'packages/core/src')

/** Stages in the order data flows; the entries (index.ts, notifier.ts) and testing/ come last. */
const STAGES = [
  'shared',
  'stripe',
  'accounts',
  'polling',
  'enrich',
  'digest',
  'delivery',
  'rules',
  'instance',
  'testing',
]
const MAX_FILE_LINES = 300
const MAX_FUNCTION_LINES = 80

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'dist' ? [] : walk(path)
    return /\.tsx?$/.test(name) && !/\.d\.ts$/.test(name) ? [path] : []
  })
}

function stageOf(file) {
  const [first] = relative(core, file).split('/')
  const rank = STAGES.indexOf(first ?? '')
  return rank === -1 ? STAGES.length : rank
}

function importsOf(file, text) {
  const deps = []
  for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.[^'"]+)['"]/g)) {
    const target = resolve(dirname(file), m[1]).replace(/\.js$/, '.ts')
    deps.push(target.endsWith('.ts') ? target : join(target, 'index.ts'))
  }
  return deps
}

function functionsOver(file, text, limit) {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  const found = []
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const start = source.getLineAndCharacterOfPosition(node.getStart()).line
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line
      if (end - start + 1 > limit) {
        const name = node.name?.getText(source) ?? '(anonymous)'
        found.push(`${relative(root, file)}:${start + 1} ${name} has ${end - start + 1} lines`)
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

const problems = []
const graph = new Map()
for (const file of walk(core)) {
  const text = readFileSync(file, 'utf8')
  const deps = importsOf(file, text)
  graph.set(file, deps)
  for (const dep of deps) {
    if (stageOf(dep) > stageOf(file)) {
      problems.push(`${relative(root, file)} imports a later stage: ${relative(root, dep)}`)
    }
  }
}

const state = new Map()
const visit = (file, stack) => {
  state.set(file, 'open')
  stack.push(file)
  for (const dep of graph.get(file) ?? []) {
    if (state.get(dep) === 'open') {
      const cycle = [...stack.slice(stack.indexOf(dep)), dep].map((f) => relative(core, f))
      problems.push(`import cycle: ${cycle.join(' -> ')}`)
    } else if (!state.has(dep) && graph.has(dep)) visit(dep, stack)
  }
  stack.pop()
  state.set(file, 'done')
}
for (const file of graph.keys()) if (!state.has(file)) visit(file, [])

for (const base of ['packages', 'examples']) {
  for (const pkg of readdirSync(join(root, base))) {
    const src = join(root, base, pkg, 'src')
    if (!statSync(join(root, base, pkg)).isDirectory()) continue
    let files = []
    try {
      files = walk(src)
    } catch {
      continue
    }
    for (const file of files) {
      const text = readFileSync(file, 'utf8')
      const lines = text.trimEnd().split('\n').length
      if (lines > MAX_FILE_LINES) problems.push(`${relative(root, file)} has ${lines} lines`)
      problems.push(...functionsOver(file, text, MAX_FUNCTION_LINES))
    }
  }
}

if (problems.length > 0) {
  for (const problem of problems) console.error(`✗ ${problem}`)
  console.error(`\n${problems.length} house rule(s) broken (scripts/check-layers.mjs).`)
  process.exit(1)
}
console.log(
  `✓ core: ${graph.size} files in stages ${STAGES.slice(0, -1).join(' → ')}, no import cycle, none upward; files ≤ ${MAX_FILE_LINES} lines, functions ≤ ${MAX_FUNCTION_LINES}`,
)
