import { chmodSync, closeSync, mkdirSync, openSync, realpathSync, statfsSync, statSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { ConfigError } from '@cashnotify/core'

/** Kernel file systems (statfs magic numbers) where SQLite cannot keep a file, and Node's mkdir loops. */
const VIRTUAL = new Map([
  [0x9fa0, '/proc'],
  [0x62656572, '/sys'],
  [0x27e0eb, 'cgroup'],
  [0x63677270, 'cgroup2'],
  [0x64626720, 'debugfs'],
  [0x1cd1, 'devpts'],
])

const what = (path: string): string => `the state file ${path} (\`--state\` or the config's \`store\`)`

function kind(path: string): string | undefined {
  try {
    return VIRTUAL.get(statfsSync(path).type)
  } catch {
    return undefined
  }
}

/** The nearest part of `path` that exists: the file, or the directory it would be created in. */
function existing(path: string): string {
  for (let at = path; ; at = dirname(at)) {
    try {
      statSync(at)
      return at
    } catch {
      if (dirname(at) === at) return at
    }
  }
}

/**
 * Refuses, with what to do, a state path SQLite cannot use: under /proc or /sys (where even creating a
 * directory never returns), a directory, or something other than a file.
 */
function assertUsable(path: string): void {
  const found = existing(path)
  const virtual = kind(found) ?? (/^\/(proc|sys)(\/|$)/.test(found) ? found.split('/')[1] : undefined)
  if (virtual !== undefined)
    throw new ConfigError(
      `${what(path)} is on ${virtual}, a file system the kernel makes up: nothing can be stored there. Give a path on a disk, e.g. ~/.cashnotify/state.sqlite.`,
    )
  if (found !== path) {
    if (!statSync(found).isDirectory())
      throw new ConfigError(`${what(path)} cannot be created: ${found} is a file, not a directory.`)
    return
  }
  const stat = statSync(path)
  if (stat.isDirectory())
    throw new ConfigError(
      `${what(path)} is a directory. Give the path of a file, e.g. ${join(path, 'state.sqlite')}.`,
    )
  if (!stat.isFile())
    throw new ConfigError(
      `${what(path)} is not a regular file (a device, a socket or a pipe). Give the path of a file.`,
    )
}

/** Creates the missing directories of `dir`, one at a time, readable by their owner only. */
function makeDirectories(dir: string): void {
  const missing: string[] = []
  for (let at = dir; existing(at) !== at; at = dirname(at)) missing.unshift(at)
  for (const at of missing) mkdirSync(at, { mode: 0o700 })
}

/** Creates the state file and its directories; returns its real path. */
function createStateFile(file: string): string {
  try {
    makeDirectories(dirname(file))
    // Created through the name given: a dangling symbolic link is followed to its target.
    closeSync(openSync(file, 'a', 0o600))
    const real = realpathSync(file)
    chmodSync(real, 0o600) // whatever the umask
    return real
  } catch (error) {
    throw new ConfigError(`${what(file)} cannot be created: ${(error as Error).message}.`, { cause: error })
  }
}

/**
 * The state file's real path, made ready: refused when unusable, created (`0600`, in `0700`
 * directories) when missing and `create` is set. Symbolic links are resolved, so that two names of one
 * file lock the same file.
 *
 * @throws {@link ConfigError} when the path cannot hold a state file, or does not exist and `create` is off.
 */
export function prepareStatePath(path: string, create: boolean): string {
  const file = resolve(path)
  assertUsable(file)
  let real: string
  try {
    real = realpathSync(file)
  } catch {
    if (!create)
      throw new ConfigError(
        `There is no state file at ${file}: no \`cashnotify watch\` has used it. Give the one \`watch\` uses with --state.`,
      )
    real = createStateFile(file)
  }
  if (real !== file) assertUsable(real)
  return real
}
