import { defineConfig, type Options } from 'tsup'
import { packageConfig } from '../../tsup.config.js'

// `testing` imports `@cashnotify/core` by name, so both entries share one copy of the error classes.
export default defineConfig(
  packageConfig({ index: 'src/index.ts', testing: 'src/testing/index.ts' }, ['p-queue', 'p-timeout']).map(
    (config): Options => ({ ...config, external: ['@cashnotify/core', 'vitest'] }),
  ),
)
