import { readFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { dirname, isAbsolute, join, resolve } from 'node:path'
import { ConfigError } from '@cashnotify/core'
import { type ConfigIssue, fromZodIssue } from './issues.js'
import { jsonErrorAt } from './json-position.js'
import { SECRET_FIELD_NAMES, secretRules } from './rules.js'
import { type Config, configSchema } from './schema.js'
import { fieldsAt } from './suggest.js'

/** A validated config, and where it came from. */
export interface LoadedConfig {
  /** The validated config. */
  readonly config: Config
  /** Where it was read from (`<inline>` for a config built in code, as the demo's). */
  readonly source: string
  /** The directory relative paths in it are resolved against. */
  readonly dir: string
}

/** Most problems listed in one error: a file with more has a bigger problem than these. */
const MAX_LISTED = 12

/** A path of the config: `~/…` is the home directory, a relative path is relative to the config file. */
export function resolvePath(dir: string, path: string): string {
  if (path === '~' || path.startsWith('~/')) return join(homedir(), path.slice(1))
  return isAbsolute(path) ? path : resolve(dir, path)
}

/**
 * Validates a config object: every problem is listed, each naming its field.
 * @throws {@link ConfigError} whose `cause` holds the issues.
 */
export function parseConfig(raw: unknown, source: string, dir: string): LoadedConfig {
  const issues: ConfigIssue[] = [...secretRules(raw)]
  const result = configSchema.safeParse(raw, { reportInput: true })
  const known = (path: ReadonlyArray<PropertyKey>) => fieldsAt(configSchema, raw, path, SECRET_FIELD_NAMES)
  if (!result.success) issues.push(...result.error.issues.map((issue) => fromZodIssue(issue, known)))
  if (issues.length > 0 || !result.success) {
    const lines = [...new Set(issues.flatMap((issue) => issue.message.split('\n')))]
    const shown = lines.slice(0, MAX_LISTED).map((line) => `  - ${line}`)
    if (lines.length > MAX_LISTED) shown.push(`  … and ${lines.length - MAX_LISTED} more.`)
    throw new ConfigError(`Invalid config ${source}:\n${shown.join('\n')}`, {
      cause: issues.map(({ path, message }) => ({ path, message })),
    })
  }
  return { config: result.data, source, dir }
}

/**
 * Reads and validates a JSON config file.
 * @throws {@link ConfigError} when it cannot be read, is not JSON, or is invalid.
 */
export async function loadConfig(file: string): Promise<LoadedConfig> {
  const path = resolve(file)
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new ConfigError(
      code === 'ENOENT'
        ? `Config file ${path} does not exist. Write one (see the config reference in the README), or give its path with --config.`
        : `Could not read config file ${path}: ${(error as Error).message}`,
      { cause: error },
    )
  }
  const json = text.replace(/^\uFEFF/, '')
  let raw: unknown
  try {
    raw = JSON.parse(json)
  } catch (error) {
    const at = jsonErrorAt(json)
    const where = at
      ? `unexpected ${at.found} at line ${at.line}, column ${at.column}`
      : (error as Error).message
    throw new ConfigError(`Config file ${path} is not valid JSON: ${where}.`, { cause: error })
  }
  return parseConfig(raw, path, dirname(path))
}
