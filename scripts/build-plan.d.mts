/** A package the build knows: its folder, and whether it publishes declarations. */
export interface BuildPackage {
  readonly dir: string
  readonly types: boolean
}

/** A package to build, and the hash of the inputs it is built from. */
export interface PlannedBuild {
  readonly pkg: BuildPackage
  readonly hash: string
}

/** The hash of a package's inputs. */
export function inputsHash(root: string, pkg: BuildPackage): string

/** The packages to build. */
export function planBuild(
  root: string,
  packages: readonly BuildPackage[],
  options?: { readonly jsOnly?: boolean; readonly force?: boolean },
): PlannedBuild[]

/** Records that a package was built from these inputs, with its declarations or without. */
export function recordBuild(
  root: string,
  planned: PlannedBuild,
  options?: { readonly jsOnly?: boolean },
): void
