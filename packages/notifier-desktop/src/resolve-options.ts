/**
 * The options checked once, by hand, in core's words (`optionChecks`, `invalidOption`): every problem
 * is listed in one `ConfigError`, as core's `parseOptions` does.
 */
import { spawn as nodeSpawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import {
  invalidOption,
  type Logger,
  optionChecks,
  redactingLogger,
  silentLogger,
} from '@cashnotify/core/notifier'
import {
  type DesktopNotifierOptions,
  type Environment,
  NAME,
  POWERSHELL_APP_ID,
  type Urgency,
} from './options.js'
import type { Spawn } from './run.js'

/** The options once checked, with their defaults. */
export interface ResolvedOptions {
  readonly appName: string
  /** The sound name to play, `true` for the platform's default, `false` for none. */
  readonly sound: boolean | string
  readonly urgency: Urgency
  readonly expireMs: number | undefined
  readonly openOnClick: boolean
  readonly clickWaitMs: number
  readonly timeoutMs: number
  readonly cacheDir: string
  readonly env: Environment
  readonly platform: NodeJS.Platform
  readonly spawn: Spawn
  readonly fetch: typeof fetch
  readonly logger: Logger
  readonly windowsAppId: string
}

const DEFAULT_TIMEOUT_MS = 10_000
const DEFAULT_CLICK_WAIT_MS = 300_000
/** Longer than this and Node's timers overflow (about 24.8 days); nobody needs more than a day here. */
const MAX_MS = 86_400_000
const URGENCIES: readonly Urgency[] = ['low', 'normal', 'critical']
const KNOWN_OPTIONS: readonly string[] = [
  'appName',
  'sound',
  'urgency',
  'expireMs',
  'openOnClick',
  'clickWaitMs',
  'timeoutMs',
  'cacheDir',
  'env',
  'platform',
  'spawn',
  'fetch',
  'logger',
  'windowsAppId',
] satisfies ReadonlyArray<keyof DesktopNotifierOptions>
const MAX_TEXT_OPTION_LENGTH = 200
const ONE_LINE = /^[^\0\r\n]*$/

/** Records the house sentence of each failed check, so that one error lists every problem. */
type Check = (ok: boolean, path: string, what: string, got: unknown) => void

/**
 * Checks every option and fills in the defaults.
 * @throws `ConfigError` listing every problem: the option, what was expected and what was got.
 */
export function resolveOptions(options: DesktopNotifierOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw invalidOption(NAME, 'options', 'an object or nothing', options)
  }
  const checks = optionChecks(NAME)
  const check: Check = (ok, path, what, got) => void checks.check(ok, path, what, got)
  const known = `free of unknown keys (the options are ${KNOWN_OPTIONS.map((key) => `\`${key}\``).join(', ')})`
  for (const key of Object.keys(options)) check(KNOWN_OPTIONS.includes(key), 'options', known, key)
  const resolved = withDefaults(options, check)
  checks.throwIfAny()
  return resolved
}

/** The options with their defaults, each one checked, in the order they are documented. */
function withDefaults(options: DesktopNotifierOptions, check: Check): ResolvedOptions {
  const appName = text(options.appName, 'appName', check) ?? 'CashNotify'
  const sound = options.sound ?? false
  const isSoundName = typeof sound === 'string' && /^[^\0\r\n]{1,200}$/.test(sound.trim())
  check(typeof sound === 'boolean' || isSoundName, 'sound', 'a boolean or a sound name (one line)', sound)
  const urgency = options.urgency ?? 'normal'
  const urgencies = `one of ${URGENCIES.map((u) => `"${u}"`).join(', ')}`
  check(URGENCIES.includes(urgency), 'urgency', urgencies, urgency)
  const expireMs = ms(options.expireMs, 'expireMs', 0, check)
  const { openOnClick } = options
  check(
    openOnClick === undefined || typeof openOnClick === 'boolean',
    'openOnClick',
    'a boolean',
    openOnClick,
  )
  const clickWaitMs = ms(options.clickWaitMs, 'clickWaitMs', 1, check) ?? DEFAULT_CLICK_WAIT_MS
  const timeoutMs = ms(options.timeoutMs, 'timeoutMs', 1, check) ?? DEFAULT_TIMEOUT_MS
  const cacheDir = options.cacheDir ?? join(tmpdir(), 'cashnotify-icons')
  check(typeof cacheDir === 'string' && isAbsolute(cacheDir), 'cacheDir', 'an absolute path', cacheDir)
  const env = options.env ?? process.env
  check(typeof env === 'object' && env !== null && !Array.isArray(env), 'env', 'an object of strings', env)
  const platform = options.platform ?? process.platform
  check(typeof platform === 'string', 'platform', 'a platform name such as `linux`', platform)
  for (const name of ['spawn', 'fetch'] as const) {
    const value = options[name]
    check(value === undefined || typeof value === 'function', name, 'a function', value)
  }
  const logger = options.logger ?? silentLogger
  const isLogger = typeof logger === 'object' && logger !== null && typeof logger.warn === 'function'
  check(isLogger, 'logger', 'a logger (an object with debug, info, warn and error)', logger)
  return {
    appName,
    sound,
    urgency,
    expireMs,
    openOnClick: openOnClick ?? true,
    clickWaitMs,
    timeoutMs,
    cacheDir,
    env,
    platform,
    spawn: options.spawn ?? nodeSpawn,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    logger: isLogger ? redactingLogger(logger) : silentLogger,
    windowsAppId: text(options.windowsAppId, 'windowsAppId', check) ?? POWERSHELL_APP_ID,
  }
}

function text(value: unknown, name: string, check: Check): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value.trim() === '') {
    check(false, name, 'a non-empty string', value)
    return undefined
  }
  const oneLine = value.length <= MAX_TEXT_OPTION_LENGTH && ONE_LINE.test(value)
  check(oneLine, name, `one line of at most ${MAX_TEXT_OPTION_LENGTH} characters`, value)
  return value
}

function ms(value: unknown, name: string, min: number, check: Check): number | undefined {
  if (value === undefined) return undefined
  const ok = typeof value === 'number' && Number.isInteger(value) && value >= min && value <= MAX_MS
  check(ok, name, `an integer from ${min} to ${MAX_MS} (ms)`, value)
  return ok ? value : undefined
}
