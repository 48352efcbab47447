import { defineConfig, type Options } from 'tsup'
import { packageConfig } from '../../tsup.config.js'

// `testing` imports `@cashnotify/core` by name, so both entries share one copy of the error classes.
// It is ESM-only: vitest, which it runs on, cannot be require()d.
const [esm, cjs] = packageConfig({ index: 'src/index.ts', testing: 'src/testing/index.ts' }, [
  'p-queue',
  'p-timeout',
]).map((config): Options => ({ ...config, external: ['@cashnotify/core', 'vitest'] }))

export default defineConfig([esm as Options, { ...(cjs as Options), entry: { index: 'src/index.ts' } }])
