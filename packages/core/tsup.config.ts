import { defineConfig, type Options } from 'tsup'
import { packageConfig } from '../../tsup.config.js'

// Three entries share chunks (code splitting), so `instanceof NotifierError` holds whichever entry a
// class came from. `testing` is ESM-only: vitest, which it runs on, cannot be require()d.
const entries = { index: 'src/index.ts', notifier: 'src/notifier.ts', testing: 'src/testing/index.ts' }
const [esm, cjs] = packageConfig(entries, ['p-queue', 'p-timeout']).map(
  (config): Options => ({ ...config, splitting: true, external: ['vitest'] }),
)

export default defineConfig([
  esm as Options,
  { ...(cjs as Options), entry: { index: entries.index, notifier: entries.notifier } },
])
