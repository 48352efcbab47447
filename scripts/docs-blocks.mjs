// The ```ts blocks of every README.md, docs/**/*.md and package and example README.md: what
// check-docs.mjs type-checks and run-docs.mjs runs.
import { existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
export const LANGUAGES = new Set(['ts', 'typescript', 'mts'])

/** The markdown files whose examples are checked, relative to the root. */
export function markdownFiles() {
  const found = []
  const add = (path) => existsSync(join(root, path)) && found.push(path)
  add('README.md')
  const walk = (dir) => {
    if (!existsSync(join(root, dir))) return
    for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
      const path = `${dir}/${entry.name}`
      if (entry.isDirectory() && path !== 'docs/api') walk(path)
      else if (entry.isFile() && entry.name.endsWith('.md')) found.push(path)
    }
  }
  walk('docs')
  for (const parent of ['packages', 'examples']) {
    if (!existsSync(join(root, parent))) continue
    for (const entry of readdirSync(join(root, parent), { withFileTypes: true })) {
      if (entry.isDirectory()) add(`${parent}/${entry.name}/README.md`)
    }
  }
  return found
}

/** Fenced code blocks (``` or ~~~, indented up to 3 spaces or inside list items) with their first line. */
export function codeBlocks(markdown) {
  const lines = markdown.split('\n')
  const blocks = []
  for (let i = 0; i < lines.length; i++) {
    const open = /^(\s*)(`{3,}|~{3,})\s*([^`]*)$/.exec(lines[i] ?? '')
    if (!open) continue
    const [, indent = '', fence = '', info = ''] = open
    const body = []
    let j = i + 1
    for (; j < lines.length; j++) {
      const line = lines[j] ?? ''
      const close = /^\s*(`{3,}|~{3,})\s*$/.exec(line)
      if (close?.[1]?.[0] === fence[0] && (close[1]?.length ?? 0) >= fence.length) break
      body.push(line.startsWith(indent) ? line.slice(indent.length) : line.trimStart())
    }
    const words = info.trim().split(/\s+/)
    blocks.push({
      language: (words[0] ?? '').toLowerCase(),
      flags: words.slice(1),
      line: i + 2,
      code: body.join('\n'),
    })
    i = j
  }
  return blocks
}
