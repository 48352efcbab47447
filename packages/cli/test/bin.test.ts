import { copyFileSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { REQUIRED_PERMISSIONS } from '@cashnotify/core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type CliProcess, spawnProcess } from './support/child.js'
import { type SimHarness, startSim, tempDir } from './support/harness.js'

const ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const PACKAGE = fileURLToPath(new URL('../', import.meta.url))
const manifest = JSON.parse(readFileSync(join(PACKAGE, 'package.json'), 'utf8')) as {
  bin: Record<string, string>
  files: string[]
  private?: boolean
}

let sim: SimHarness
let clone: ReturnType<typeof tempDir>
const children: CliProcess[] = []
beforeAll(async () => {
  sim = await startSim()
  // A clone after `npm ci`, before any build: the workspace's packages, no dist/ for the CLI.
  clone = tempDir()
  for (const file of ['tsconfig.json', 'tsconfig.base.json'])
    copyFileSync(join(ROOT, file), join(clone.path, file))
  symlinkSync(join(ROOT, 'node_modules'), join(clone.path, 'node_modules'))
  mkdirSync(join(clone.path, 'packages/cli/bin'), { recursive: true })
  for (const pkg of ['core', 'stripe-simulator', 'notifier-desktop', 'notifier-webhook', 'notifier-email'])
    symlinkSync(join(ROOT, 'packages', pkg), join(clone.path, 'packages', pkg))
  symlinkSync(join(PACKAGE, 'src'), join(clone.path, 'packages/cli/src'))
  copyFileSync(join(PACKAGE, 'bin/cashnotify.js'), join(clone.path, 'packages/cli/bin/cashnotify.js'))
})
afterAll(async () => {
  for (const child of children) child.kill()
  await sim.close()
  clone.remove()
})

describe('the cashnotify command', () => {
  it('is a committed file outside dist/, published, so that npm ci links it before anything is built', () => {
    expect(manifest.private).toBeUndefined()
    const bin = manifest.bin.cashnotify ?? ''
    expect(bin).toBe('./bin/cashnotify.js')
    expect(manifest.files).toContain('bin')
    const file = join(PACKAGE, bin)
    expect(statSync(file).mode & 0o111).not.toBe(0)
    expect(readFileSync(file, 'utf8')).toMatch(/^#!\/usr\/bin\/env node\n/)
  })

  it('runs the TypeScript sources in a clone that was not built yet: npm ci, then npx cashnotify check-key', async () => {
    const account = sim.sim.createAccount({ businessName: 'Acme Inc' }).id
    const key = sim.sim.createKey({
      account,
      kind: 'restricted',
      mode: 'test',
      permissions: [...REQUIRED_PERMISSIONS],
    })
    const launcher = join(clone.path, 'packages/cli/bin/cashnotify.js')
    const check = spawnProcess([launcher, 'check-key', '--key-env', 'STRIPE_KEY', '--stripe-url', sim.url], {
      STRIPE_KEY: key,
    })
    children.push(check)
    expect((await check.exited).code).toBe(0)
    expect(check.stdout.join('\n')).toContain('Active: every required permission is granted')
  }, 30_000)
})
