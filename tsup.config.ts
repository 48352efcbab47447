import { defineConfig, type Options } from 'tsup'

/**
 * The one build recipe every publishable package re-uses: ESM + CJS with type declarations.
 * ESM-only dependencies (p-queue, p-retry...) are bundled into the CJS output only, so CJS consumers
 * never `require()` an ES module, while ESM consumers share one copy with the rest of their app.
 */
export function packageConfig(entry: Record<string, string>, esmOnlyDeps: string[] = []): Options[] {
  const common: Options = {
    entry,
    target: 'node20',
    platform: 'node',
    sourcemap: true,
    dts: true,
    treeshake: true,
    splitting: false,
  }
  return [
    { ...common, format: ['esm'], clean: true },
    { ...common, format: ['cjs'], noExternal: esmOnlyDeps },
  ]
}

export default defineConfig([])
