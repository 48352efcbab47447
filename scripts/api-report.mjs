#!/usr/bin/env node
// The API report of every published entry point (api-extractor), checked in under each package's
// `api/` folder, so that what a change adds to or removes from a public API shows in review.
// `node scripts/api-report.mjs` fails when a report differs from the built declarations;
// `node scripts/api-report.mjs --update` rewrites the reports. Run after `npm run build`.

import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Extractor, ExtractorConfig } from '@microsoft/api-extractor'

const root = resolve(fileURLToPath(new URL('..', import.meta.url)))
const update = process.argv.includes('--update')

/** Every published package, with each of its entry points that has ESM type declarations. */
function entryPoints() {
  const found = []
  for (const dir of readdirSync(join(root, 'packages'))) {
    const folder = join(root, 'packages', dir)
    const manifestPath = join(folder, 'package.json')
    if (!existsSync(manifestPath)) continue
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'))
    if (manifest.private) continue
    for (const [subpath, target] of Object.entries(manifest.exports ?? {})) {
      const types = target?.import?.types ?? target?.types
      if (typeof types !== 'string') continue
      const suffix = subpath === '.' ? '' : `-${subpath.slice(2).replaceAll('/', '-')}`
      found.push({
        folder,
        manifestPath,
        types,
        name: `${manifest.name}${subpath.slice(1)}`,
        file: `${dir}${suffix}`,
      })
    }
  }
  return found
}

const ignored = ['ae-missing-release-tag', 'ae-unresolved-link', 'ae-internal-missing-underscore']

let changed = 0
for (const entry of entryPoints()) {
  const reportFolder = join(entry.folder, 'api')
  mkdirSync(reportFolder, { recursive: true })
  const config = ExtractorConfig.prepare({
    configObject: {
      projectFolder: entry.folder,
      mainEntryPointFilePath: join(entry.folder, entry.types),
      compiler: {
        overrideTsconfig: {
          compilerOptions: { skipLibCheck: true, lib: ['ES2023', 'DOM'], types: ['node'] },
        },
      },
      apiReport: {
        enabled: true,
        reportFolder,
        reportTempFolder: join(entry.folder, 'dist/.api'),
        reportFileName: entry.file,
      },
      docModel: { enabled: false },
      dtsRollup: { enabled: false },
      tsdocMetadata: { enabled: false },
      messages: {
        extractorMessageReporting: Object.fromEntries([
          ['default', { logLevel: 'warning', addToApiReportFile: true }],
          ...ignored.map((id) => [id, { logLevel: 'none', addToApiReportFile: false }]),
        ]),
        compilerMessageReporting: { default: { logLevel: 'warning' } },
        tsdocMessageReporting: { default: { logLevel: 'none' } },
      },
    },
    configObjectFullPath: join(entry.folder, 'api-extractor.json'),
    packageJsonFullPath: entry.manifestPath,
  })
  const result = Extractor.invoke(config, {
    localBuild: update,
    showVerboseMessages: false,
    messageCallback: (message) => {
      // Findings go into the report itself, where review sees them; the console gets the summary.
      message.handled = true
    },
  })
  if (result.apiReportChanged) {
    changed++
    console.error(
      update
        ? `✎ ${entry.name}: api/${entry.file}.api.md updated`
        : `✗ ${entry.name}: its public API differs from api/${entry.file}.api.md (run node scripts/api-report.mjs --update and review the diff)`,
    )
  } else console.log(`✓ ${entry.name}: api/${entry.file}.api.md`)
}
if (changed > 0 && !update) process.exit(1)
