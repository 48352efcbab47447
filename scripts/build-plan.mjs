// What `scripts/build.mjs` must build: the packages whose inputs changed since their last build. A
// package's inputs are its src/, its package.json and build configs, and the build configs every package
// shares; a hash of them is recorded in .build/stamps/ once the package is built.

import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'

/** Inputs every package shares. */
const SHARED = [
  'tsup.config.ts',
  'tsconfig.base.json',
  'tsconfig.build.json',
  'scripts/build.mjs',
  'scripts/build-plan.mjs',
]
/** A package's own inputs, beside its src/. */
const OWN = ['package.json', 'tsup.config.ts', 'tsconfig.build.json']

function files(dir) {
  if (!existsSync(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? files(join(dir, entry.name)) : [join(dir, entry.name)]))
    .sort()
}

/** The hash of a package's inputs. */
export function inputsHash(root, pkg) {
  const hash = createHash('sha256')
  const own = OWN.map((file) => join(root, pkg.dir, file))
  for (const file of [...SHARED.map((f) => join(root, f)), ...own, ...files(join(root, pkg.dir, 'src'))]) {
    if (!existsSync(file)) continue
    hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0')
  }
  return hash.digest('hex')
}

const stampOf = (root, pkg) => join(root, '.build/stamps', `${pkg.dir.replaceAll('/', '-')}.json`)

function readStamp(root, pkg) {
  try {
    return JSON.parse(readFileSync(stampOf(root, pkg), 'utf8'))
  } catch {
    return undefined
  }
}

/**
 * The packages to build: those without a dist/, whose inputs changed, or (for a full build) whose last
 * build left their declarations out.
 */
export function planBuild(root, packages, { jsOnly = false, force = false } = {}) {
  return packages
    .map((pkg) => ({ pkg, hash: inputsHash(root, pkg), stamp: readStamp(root, pkg) }))
    .filter(
      ({ pkg, hash, stamp }) =>
        force ||
        !existsSync(join(root, pkg.dir, 'dist')) ||
        stamp?.inputs !== hash ||
        (!jsOnly && pkg.types && stamp.types !== true),
    )
    .map(({ pkg, hash }) => ({ pkg, hash }))
}

/** Records that a package was built from these inputs, with its declarations or without. */
export function recordBuild(root, { pkg, hash }, { jsOnly = false } = {}) {
  mkdirSync(join(root, '.build/stamps'), { recursive: true })
  writeFileSync(stampOf(root, pkg), `${JSON.stringify({ inputs: hash, types: !jsOnly })}\n`)
}
