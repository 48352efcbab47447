import { execFileSync } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { basename, join, relative, resolve } from 'node:path'
import { defineConfig, type Options } from 'tsup'

/** What differs between packages, beyond their entry points. */
export interface PackageBuild {
  /** ESM-only dependencies (p-queue, p-timeout…), bundled into the CJS output only. */
  readonly esmOnlyDeps?: readonly string[]
  /** Entry points published for `import` only: no CJS build and no `.d.cts` for them. */
  readonly esmOnlyEntries?: readonly string[]
  /** Code splitting, so that entry points share chunks (one copy of each class). @default false */
  readonly splitting?: boolean
  /** Modules never bundled, beyond the package's dependencies. */
  readonly external?: readonly string[]
}

/**
 * The one build recipe every publishable library re-uses: ESM + CJS, with `.d.ts` and `.d.cts` per entry
 * point. ESM-only dependencies are bundled into the CJS output only, so CJS consumers never `require()` an
 * ES module, while ESM consumers share one copy with the rest of their app.
 *
 * Declarations are not compiled here: `tsc -b` emits them once, incrementally, into `.build/types/<package>`
 * (one type-check of each package, which reads its dependencies' emitted declarations instead of their
 * sources), and tsup only rolls those `.d.ts` files up, which takes a second. Compiling them from the
 * sources for each format, as tsup's own `dts` does, was most of a two-minute build.
 *
 * `CASHNOTIFY_BUILD` chooses what a run builds: `js` the JavaScript alone (what the demo needs), `types`
 * the roll-up alone (scripts/build.mjs builds the JavaScript while `tsc -b` runs, then rolls up), else both.
 */
export function packageConfig(entry: Record<string, string>, build: PackageBuild = {}): Options[] {
  const cwd = process.cwd()
  const mode = process.env.CASHNOTIFY_BUILD
  // Cleaned here, before any build starts: a `clean` option would race with the roll-up writing beside it.
  if (mode !== 'types') rmSync(join(cwd, 'dist'), { recursive: true, force: true })
  const common: Options = {
    entry,
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    treeshake: true,
    splitting: build.splitting ?? false,
    external: [...(build.external ?? [])],
  }
  const cjsEntry = Object.fromEntries(
    Object.entries(entry).filter(([name]) => !(build.esmOnlyEntries ?? []).includes(name)),
  )
  const js: Options[] = [
    { ...common, format: ['esm'] },
    { ...common, entry: cjsEntry, format: ['cjs'], noExternal: [...(build.esmOnlyDeps ?? [])] },
  ]
  if (mode === 'js') return js
  // scripts/build.mjs runs `tsc -b` for every package at once before asking for the roll-ups.
  if (mode !== 'types') emitDeclarations(cwd)
  const sameEntries = Object.keys(cjsEntry).length === Object.keys(entry).length
  const types = sameEntries
    ? [rollUp(cwd, entry, ['esm', 'cjs'], common)]
    : [rollUp(cwd, entry, ['esm'], common), rollUp(cwd, cjsEntry, ['cjs'], common)]
  return mode === 'types' ? types : [...js, ...types]
}

/** `tsc -b` of this package (and of the packages it references), when tsup runs on its own. */
function emitDeclarations(cwd: string): void {
  const tsc = createRequire(join(cwd, 'package.json')).resolve('typescript/bin/tsc')
  execFileSync(process.execPath, [tsc, '-b', 'tsconfig.build.json'], { cwd, stdio: 'inherit' })
}

/** A declarations-only config: the `.d.ts` files `tsc -b` emitted for `entry`, rolled up per format. */
function rollUp(
  cwd: string,
  entry: Record<string, string>,
  format: NonNullable<Options['format']>,
  common: Options,
): Options {
  const types = resolve(cwd, '../../.build/types', basename(cwd))
  const declarations = Object.fromEntries(
    Object.entries(entry).map(([name, source]) => {
      const file = join(types, relative('src', source).replace(/\.ts$/, '.d.ts'))
      if (!existsSync(file))
        throw new Error(`${file} is missing: \`tsc -b tsconfig.build.json\` emits it (npm run build does).`)
      return [name, file]
    }),
  )
  return { ...common, entry: declarations, format, dts: { entry: declarations, only: true } }
}

export default defineConfig([])
