import { defineConfig } from 'tsup'

// A program, not a library: ESM only, no declarations. Its dependencies stay external (installed beside it).
export default defineConfig({
  entry: { cli: 'src/cli.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  clean: true,
  sourcemap: true,
})
