import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type BuildPackage, planBuild, recordBuild } from '../../../scripts/build-plan.mjs'
import { tempDir } from './support/harness.js'

const PACKAGES: BuildPackage[] = [
  { dir: 'packages/lib', types: true },
  { dir: 'packages/cli', types: false },
]

let dir: ReturnType<typeof tempDir>
beforeEach(() => {
  dir = tempDir()
  writeFileSync(join(dir.path, 'tsup.config.ts'), 'export default {}\n')
  for (const { dir: pkg } of PACKAGES) {
    mkdirSync(join(dir.path, pkg, 'src'), { recursive: true })
    mkdirSync(join(dir.path, pkg, 'dist'))
    writeFileSync(join(dir.path, pkg, 'package.json'), '{}\n')
    writeFileSync(join(dir.path, pkg, 'src/index.ts'), 'export const one = 1\n')
  }
})
afterEach(() => dir.remove())

const names = (plan: ReturnType<typeof planBuild>): string[] => plan.map(({ pkg }) => pkg.dir)

/** Builds (records) what the plan says, as scripts/build.mjs does once tsup succeeded. */
function build(options: { jsOnly?: boolean } = {}): string[] {
  const plan = planBuild(dir.path, PACKAGES, options)
  for (const item of plan) recordBuild(dir.path, item, options)
  return names(plan)
}

describe('the build (scripts/build.mjs) builds only what changed', () => {
  it('rebuilds nothing on a second run over an unchanged tree, so a second `npm run demo` starts at once', () => {
    expect(build({ jsOnly: true })).toEqual(['packages/lib', 'packages/cli'])
    expect(build({ jsOnly: true })).toEqual([])
  })

  it('rebuilds only the package whose sources, manifest or build config changed, and all of them for a shared config', () => {
    build()
    writeFileSync(join(dir.path, 'packages/lib/src/index.ts'), 'export const one = 2\n')
    expect(build()).toEqual(['packages/lib'])
    writeFileSync(join(dir.path, 'packages/cli/package.json'), '{ "name": "x" }\n')
    expect(build()).toEqual(['packages/cli'])
    writeFileSync(join(dir.path, 'tsup.config.ts'), 'export default { changed: true }\n')
    expect(build()).toEqual(['packages/lib', 'packages/cli'])
  })

  it('leaves the declarations to a full build after a JavaScript-only one (the demo needs none)', () => {
    build({ jsOnly: true })
    expect(build()).toEqual(['packages/lib'])
    expect(build({ jsOnly: true })).toEqual([])
  })

  it('rebuilds a package whose dist/ is gone', () => {
    build()
    rmSync(join(dir.path, 'packages/cli/dist'), { recursive: true })
    expect(build()).toEqual(['packages/cli'])
  })
})
