import { defineConfig } from 'tsup'
import { packageConfig } from '../../tsup.config.js'

// Three entries share chunks (code splitting), so `instanceof NotifierError` holds whichever entry a
// class came from. `testing` is ESM-only: vitest, which it runs on, cannot be require()d.
export default defineConfig(() =>
  packageConfig(
    { index: 'src/index.ts', notifier: 'src/notifier.ts', testing: 'src/testing/index.ts' },
    {
      esmOnlyDeps: ['p-queue', 'p-timeout'],
      esmOnlyEntries: ['testing'],
      splitting: true,
      external: ['vitest'],
    },
  ),
)
