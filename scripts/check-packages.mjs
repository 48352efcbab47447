#!/usr/bin/env node
// Test what we publish (STYLE.md habit 10). Run after `npm run build`:
//   1. `npm pack` every publishable package into a temporary directory;
//   2. publint (strict: warnings fail) on each tarball;
//   3. @arethetypeswrong/cli on each tarball, profile node16 (node16 CJS, node16 ESM and bundler resolution;
//      node10 is left out: subpath exports cannot resolve there and Node < 20 is not supported anyway);
//   4. one fresh consumer project outside the repository installs all tarballs, then
//      (a) `require()`s and (b) `import()`s every entry point of every package, checking expected exports,
//      (c) type-checks a small consumer with strict TypeScript, under `nodenext` (ESM and CJS files) and `bundler`,
//      (d) runs the installed `cashnotify` command (@cashnotify/cli's bin): `--help`, and `check-key` against
//          the installed Stripe simulator, for a key it watches (exit 0) and one it refuses (exit 2).
// Prints a summary and exits non-zero on any failure. `--keep` keeps the temporary directory for inspection.

import { execFile, spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { publint } from 'publint'
import { formatMessage } from 'publint/utils'

const run = promisify(execFile)
const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const keep = process.argv.includes('--keep')

/** Every publishable package, and the exports each entry point must have at run time. */
const PACKAGES = [
  {
    dir: 'packages/core',
    expect: {
      '.': ['parseKey', 'redactKey', 'restrictedKeyUrl', 'checkKey', 'CashNotify', 'InvalidKeyError'],
      './testing': ['notifierTestSuite', 'sampleNotification'],
    },
    // The shared notifier test suite runs on vitest, which cannot be require()d.
    esmOnly: ['./testing'],
  },
  { dir: 'packages/stripe-simulator', expect: { '.': ['StripeSimulator'] } },
  { dir: 'packages/notifier-desktop', expect: { '.': ['desktopNotifier'] } },
  { dir: 'packages/notifier-webhook', expect: { '.': ['webhookNotifier'] } },
  { dir: 'packages/notifier-email', expect: { '.': ['emailNotifier'] } },
  {
    dir: 'packages/redis',
    expect: {
      '.': ['redisCluster', 'Leases', 'SharedRequestBudget', 'DeliveryQueues'],
      './testing': ['startRedisServer'],
    },
  },
  {
    dir: 'packages/charts',
    expect: { '.': ['renderRevenueChart', 'renderRevenueChartSvg', 'chartSlots', 'previousPeriod'] },
  },
  // A program: no entry point to load, a bin to run (4d).
  { dir: 'packages/cli', expect: {}, bin: 'cashnotify' },
]

/** What the consumer type-checks: the public API as a user's code would use it. */
const CONSUMER_TS = `import type { Notifier, NotifierFactory } from '@cashnotify/core'
import { CashNotify, checkKey, InvalidKeyError, parseKey, redactKey, restrictedKeyUrl } from '@cashnotify/core'
import { desktopNotifier } from '@cashnotify/notifier-desktop'
import { emailNotifier } from '@cashnotify/notifier-email'
import { type WebhookNotifierOptions, webhookNotifier } from '@cashnotify/notifier-webhook'
import { StripeSimulator } from '@cashnotify/stripe-simulator'

type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false

const key = parseKey('rk_test_' + 'x'.repeat(24))
export const modeIsExact: Equals<typeof key.mode, 'live' | 'test'> = true
export const shown: string = redactKey('rk_test_' + 'x'.repeat(24))
export const link: string = restrictedKeyUrl()
export const report: Promise<object> = checkKey(key)

const consoleNotifier: NotifierFactory<{ prefix?: string }> = (options = {}) => ({
  name: 'console',
  async send(notification, context) {
    if (context.signal.aborted) return
    console.log(options.prefix ?? '', notification.title, notification.account.mode)
  },
})

const webhookOptions: WebhookNotifierOptions = { url: 'https://example.com/hook' }
export const notifiers: Notifier[] = [
  consoleNotifier({}),
  desktopNotifier(),
  webhookNotifier(webhookOptions),
  emailNotifier({ to: 'jane@example.com', from: 'sales@example.com', smtp: { host: 'localhost' } }),
]
// @ts-expect-error \`url\` is required: misuse must not compile.
webhookNotifier({})

export function explain(error: unknown): string {
  return error instanceof InvalidKeyError ? error.code : 'other'
}
export const classes = [CashNotify, StripeSimulator] as const
`

const TSCONFIGS = {
  'tsconfig.nodenext.json': {
    module: 'nodenext',
    moduleResolution: 'nodenext',
    files: ['esm.mts', 'cjs.cts'],
  },
  'tsconfig.bundler.json': { module: 'esnext', moduleResolution: 'bundler', files: ['bundler.ts'] },
}

/** @type {{ name: string, ok: boolean, detail?: string }[]} */
const results = []
const started = Date.now()

function record(name, ok, detail) {
  results.push({ name, ok, detail })
  console.log(`${ok ? '✓' : '✗'} ${name}${detail && !ok ? `\n${indent(detail)}` : ''}`)
}

function indent(text) {
  return text
    .trim()
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n')
}

/** Runs a command; resolves with its exit code and output whatever the exit code. */
async function exec(file, args, options = {}) {
  try {
    const { stdout, stderr } = await run(file, args, { maxBuffer: 64 * 1024 * 1024, ...options })
    return { ok: true, code: 0, stdout, output: `${stdout}${stderr}` }
  } catch (error) {
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}` || String(error)
    return {
      ok: false,
      code: typeof error.code === 'number' ? error.code : undefined,
      stdout: error.stdout ?? '',
      output,
    }
  }
}

/** A Stripe simulator from the installed package, in a child process: its URL and two keys. */
const SIMULATOR_MJS = `import { REQUIRED_PERMISSIONS } from '@cashnotify/core'
import { StripeSimulator } from '@cashnotify/stripe-simulator'
const sim = new StripeSimulator({ rateLimits: false })
const server = await sim.listen()
const account = sim.createAccount({ businessName: 'Acme Inc' }).id
const key = (permissions) => sim.createKey({ account, kind: 'restricted', mode: 'test', permissions })
const active = key([...REQUIRED_PERMISSIONS])
const refused = key(REQUIRED_PERMISSIONS.filter((permission) => permission !== 'rak_event_read'))
console.log(JSON.stringify({ url: server.url, active, refused }))
process.stdin.resume()
process.stdin.on('end', () => server.close())
`

/** 4d. The installed bin: `--help`, then `check-key` against the simulator, as a user runs them. */
async function checkBins(consumer) {
  for (const pkg of PACKAGES.filter((p) => p.bin)) {
    const bin = join(consumer, 'node_modules/.bin', pkg.bin)
    const help = await exec(bin, ['--help'], { cwd: consumer })
    record(
      `${pkg.bin} --help (the installed bin)`,
      help.ok && help.stdout.includes('Exit codes:'),
      help.output,
    )
    await writeFile(join(consumer, 'simulator.mjs'), SIMULATOR_MJS)
    const sim = spawn(process.execPath, ['simulator.mjs'], {
      cwd: consumer,
      stdio: ['pipe', 'pipe', 'inherit'],
    })
    try {
      const [line] = await once(createInterface({ input: sim.stdout }), 'line')
      const { url, active, refused } = JSON.parse(line)
      for (const [name, key, code, said] of [
        ['a key it watches', active, 0, 'Active: every required permission is granted'],
        ['a key without rak_event_read', refused, 2, 'Refused: without rak_event_read'],
      ]) {
        const args = ['check-key', '--key-env', 'STRIPE_KEY', '--stripe-url', url]
        const res = await exec(bin, args, { cwd: consumer, env: { ...process.env, STRIPE_KEY: key } })
        const ok = res.code === code && res.output.includes(said) && !res.output.includes(key)
        record(
          `${pkg.bin} check-key, ${name}: exit ${code}, against the simulator`,
          ok,
          `exit ${res.code}\n${res.output}`,
        )
      }
    } finally {
      sim.stdin.end()
    }
  }
}

async function main() {
  const manifests = await Promise.all(
    PACKAGES.map(async (pkg) => JSON.parse(await readFile(join(root, pkg.dir, 'package.json'), 'utf8'))),
  )
  for (const [i, pkg] of PACKAGES.entries()) {
    if (!existsSync(join(root, pkg.dir, 'dist'))) {
      console.error(`✗ ${manifests[i].name} has no dist/: run \`npm run build\` first.`)
      process.exit(1)
    }
  }

  const work = await mkdtemp(join(tmpdir(), 'cashnotify-check-packages-'))
  const tarballs = join(work, 'tarballs')
  const consumer = join(work, 'consumer')
  await mkdir(tarballs)
  await mkdir(consumer)
  console.log(`Checking ${PACKAGES.length} packages in ${work}\n`)

  try {
    // 1. Pack, all in one npm call.
    const packArgs = ['pack', '--json', '--ignore-scripts', '--pack-destination', tarballs]
    for (const pkg of PACKAGES) packArgs.push('--workspace', pkg.dir)
    const packed = await exec('npm', packArgs, { cwd: root })
    if (!packed.ok) {
      record('npm pack', false, packed.output)
      return
    }
    const packInfo = JSON.parse(packed.stdout)
    const files = PACKAGES.map((_, i) => join(tarballs, packInfo[i].filename))
    record(`npm pack (${packInfo.map((p) => `${p.name}@${p.version}`).join(', ')})`, true)

    // 2 and 3. publint and attw on every tarball, in parallel; the consumer installs meanwhile.
    const lint = manifests.map(async ({ name }, i) => {
      const tarball = await readFile(files[i])
      const { messages, pkg: manifest } = await publint({
        pack: { tarball: tarball.buffer.slice(tarball.byteOffset, tarball.byteOffset + tarball.byteLength) },
        strict: true,
      })
      const failing = messages.filter((m) => m.type !== 'suggestion')
      const text = messages
        .map((m) => `${m.type}: ${formatMessage(m, manifest, { color: false })}`)
        .join('\n')
      return { name: `publint ${name}`, ok: failing.length === 0, detail: text, suggestions: messages.length }
    })
    const attw = join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js')
    const attwRun = async (name, file, profile, entrypoints) => {
      const args = [
        attw,
        file,
        '--profile',
        profile,
        '--format',
        'table',
        '--no-emoji',
        '--no-color',
        ...entrypoints,
      ]
      const res = await exec(process.execPath, args, { cwd: work })
      return {
        name: `attw --profile ${profile} ${name}${entrypoints.length ? ` ${entrypoints.join(' ')}` : ''}`,
        ok: res.ok,
        detail: res.output,
      }
    }
    // ESM-only entry points are checked with the esm-only profile; every other one with node16 (ESM and CJS).
    const types = manifests.flatMap(({ name }, i) => {
      const esmOnly = PACKAGES[i].esmOnly ?? []
      if (esmOnly.length === 0) return [attwRun(name, files[i], 'node16', [])]
      return [
        attwRun(name, files[i], 'node16', ['--exclude-entrypoints', ...esmOnly]),
        attwRun(name, files[i], 'esm-only', ['--entrypoints', ...esmOnly]),
      ]
    })

    const coreManifest = manifests[0]
    // Peer dependencies, optional ones too (msw for the simulator's `/msw` entry): a consumer of that entry has them.
    const peers = new Map()
    for (const manifest of manifests) {
      for (const [name, range] of Object.entries(manifest.peerDependencies ?? {})) {
        if (!name.startsWith('@cashnotify/')) peers.set(name, range)
      }
    }
    await writeFile(
      join(consumer, 'package.json'),
      `${JSON.stringify({ name: 'cashnotify-consumer', private: true, version: '0.0.0' }, null, 2)}\n`,
    )
    const install = exec(
      'npm',
      [
        'install',
        ...files,
        `stripe@${coreManifest.dependencies?.stripe ?? 'latest'}`,
        ...[...peers].map(([name, range]) => `${name}@${range}`),
        'typescript@~6.0.3',
        '@types/node@^20',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        '--loglevel=error',
      ],
      { cwd: consumer },
    )

    for (const res of await Promise.all(lint)) {
      record(res.name, res.ok, res.detail)
      if (res.ok && res.detail) console.log(indent(res.detail))
    }
    for (const res of await Promise.all(types)) record(res.name, res.ok, res.detail)

    const installed = await install
    record('npm install the tarballs into a fresh consumer project', installed.ok, installed.output)
    if (!installed.ok) return

    // 4a and 4b. Load every entry point with require() and import().
    const entries = []
    for (const [i, pkg] of PACKAGES.entries()) {
      if (pkg.bin) continue
      const subpaths = Object.keys(manifests[i].exports ?? { '.': null }).filter(
        (subpath) => subpath !== './package.json' && !subpath.includes('*'),
      )
      for (const subpath of subpaths) {
        const specifier = subpath === '.' ? manifests[i].name : `${manifests[i].name}/${subpath.slice(2)}`
        entries.push({
          specifier,
          expect: pkg.expect[subpath] ?? [],
          esmOnly: (pkg.esmOnly ?? []).includes(subpath),
        })
      }
    }
    const loader = (how) => `
const entries = ${JSON.stringify(how === 'require' ? entries.filter((e) => !e.esmOnly) : entries)}
const failures = []
for (const { specifier, expect } of entries) {
  try {
    const mod = ${how === 'require' ? 'require(specifier)' : 'await import(specifier)'}
    const missing = expect.filter((name) => mod[name] === undefined)
    if (missing.length > 0) failures.push(specifier + ': missing export(s) ' + missing.join(', '))
  } catch (error) {
    failures.push(specifier + ': ' + (error && error.stack ? error.stack.split('\\n').slice(0, 3).join('\\n') : error))
  }
}
if (failures.length > 0) {
  console.error(failures.join('\\n'))
  process.exit(1)
}
`
    await writeFile(join(consumer, 'load.cjs'), loader('require'))
    await writeFile(join(consumer, 'load.mjs'), loader('import'))
    const list = `${entries.length} entry points`
    const [required, imported] = await Promise.all([
      exec(process.execPath, ['load.cjs'], { cwd: consumer }),
      exec(process.execPath, ['load.mjs'], { cwd: consumer }),
    ])
    record(`require() from a .cjs file: ${list}`, required.ok, required.output)
    record(`import() from a .mjs file: ${list}`, imported.ok, imported.output)

    // 4c. Strict type-check of the consumer, nodenext (ESM + CJS) then bundler.
    for (const file of ['esm.mts', 'cjs.cts', 'bundler.ts'])
      await writeFile(join(consumer, file), CONSUMER_TS)
    const tsc = join(consumer, 'node_modules/typescript/bin/tsc')
    const checks = Object.entries(TSCONFIGS).map(
      async ([file, { module, moduleResolution, files: sources }]) => {
        const config = {
          compilerOptions: {
            strict: true,
            exactOptionalPropertyTypes: true,
            noUncheckedIndexedAccess: true,
            target: 'es2022',
            lib: ['es2023'],
            module,
            moduleResolution,
            types: ['node'],
            noEmit: true,
            skipLibCheck: false,
          },
          files: sources,
        }
        await writeFile(join(consumer, file), `${JSON.stringify(config, null, 2)}\n`)
        const res = await exec(process.execPath, [tsc, '-p', file], { cwd: consumer })
        return { name: `tsc --strict, ${moduleResolution} (${sources.join(', ')})`, ...res }
      },
    )
    for (const res of await Promise.all(checks)) record(res.name, res.ok, res.output)

    await checkBins(consumer)
  } finally {
    if (keep) console.log(`\nKept ${work}`)
    else await rm(work, { recursive: true, force: true })
  }
}

await main()
const failed = results.filter((r) => !r.ok)
const seconds = ((Date.now() - started) / 1000).toFixed(1)
console.log(
  `\ncheck:packages: ${results.length - failed.length} passed, ${failed.length} failed (${seconds} s)` +
    (failed.length > 0 ? `\nFailed:\n${failed.map((r) => `  - ${r.name}`).join('\n')}` : ''),
)
process.exit(failed.length > 0 || results.length === 0 ? 1 : 0)
