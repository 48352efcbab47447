import { ConfigError } from '@cashnotify/core'

const plain = (message: string): string => message.replace(/^\[cashnotify\] /, '')

/**
 * Several problems found in one pass (keys, secrets and files the config names), listed at once as the
 * schema's are, so that a deployment is fixed in one go rather than one variable per restart.
 */
export class ConfigProblems extends ConfigError {
  /** Each problem, in a sentence that names its field. */
  readonly problems: readonly string[]

  constructor(title: string, problems: readonly string[]) {
    super(`${title}\n${problems.map((problem) => `  - ${problem}`).join('\n')}`)
    this.name = 'ConfigProblems'
    this.problems = problems
  }
}

/** The problems behind `errors`: each of a {@link ConfigProblems}, or a ConfigError's message. */
export function problemsOf(errors: readonly unknown[]): string[] {
  return errors.flatMap((error) => {
    if (error instanceof ConfigProblems) return [...error.problems]
    if (error instanceof ConfigError) return [plain(error.message)]
    throw error
  })
}

/**
 * Settles every task, then returns their values, or throws one {@link ConfigProblems} listing every
 * config problem among the failures (any other error is thrown as it is).
 */
export async function settleAll<T>(title: string, tasks: ReadonlyArray<Promise<T>>): Promise<T[]> {
  const results = await Promise.allSettled(tasks)
  const failures = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []))
  if (failures.length === 0) return results.map((result) => (result as PromiseFulfilledResult<T>).value)
  throw new ConfigProblems(title, problemsOf(failures))
}
