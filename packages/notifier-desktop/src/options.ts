import { spawn as nodeSpawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import { isAbsolute, join } from 'node:path'
import { ConfigError, type Logger, redactingLogger, silentLogger } from '@cashnotify/core/notifier'
import type { Spawn } from './run.js'

/** The notifier's name, as it appears in logs, errors and dead letters. */
export const NAME = 'desktop'

/** How urgent a notification is, in the freedesktop sense: `critical` ones stay until dismissed. */
export type Urgency = 'low' | 'normal' | 'critical'

/** The environment child processes get and the notifier reads (`PATH`, `DISPLAY`, `DBUS_SESSION_BUS_ADDRESS`...). */
export type Environment = Readonly<Record<string, string | undefined>>

/**
 * The AppUserModelID of Windows PowerShell, registered on every Windows 10 and 11: toasts shown under it
 * need no Start-menu shortcut of their own.
 */
export const POWERSHELL_APP_ID =
  '{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\\WindowsPowerShell\\v1.0\\powershell.exe'

/** Options of {@link desktopNotifier}. Every field is optional: `desktopNotifier()` just works. */
export interface DesktopNotifierOptions {
  /**
   * The application name the notification is shown under (Linux: the `app_name` of the Notify call;
   * Windows: the attribution line; macOS shows the sending program's name and ignores it).
   * @default 'CashNotify'
   */
  appName?: string
  /**
   * Play a sound: `true` for the platform's notification sound, or a sound name (Linux: a freedesktop
   * sound-theme name such as `message-new-instant`; macOS: a name from System Settings › Sound such as
   * `Glass`; Windows: an `ms-winsoundevent:` URI).
   * @default false
   */
  sound?: boolean | string
  /**
   * The freedesktop urgency (Linux only): `critical` notifications stay on screen until dismissed.
   * @default 'normal'
   */
  urgency?: Urgency
  /**
   * How long the notification stays on screen, in ms (Linux only; `0` means until dismissed).
   * @default undefined (the notification server's choice)
   */
  expireMs?: number
  /**
   * Clicking the notification opens its Stripe dashboard page, where the platform allows it (see the README:
   * on Linux only while CashNotify runs and for {@link DesktopNotifierOptions.clickWaitMs}; on macOS only
   * through terminal-notifier).
   * @default true
   */
  openOnClick?: boolean
  /**
   * Linux: how long, in ms, the notifier keeps listening for a click on each notification (a helper
   * process waits for it meanwhile; `close()` ends them all).
   * @default 300000
   */
  clickWaitMs?: number
  /**
   * The longest one send may take, in ms (icon download included), before it fails as retryable.
   * Delivery's own signal still applies: whichever ends first wins.
   * @default 10000
   */
  timeoutMs?: number
  /**
   * Where account logos are cached as image files, one per logo (named by the SHA-256 of its bytes or URL).
   * @default join(os.tmpdir(), 'cashnotify-icons')
   */
  cacheDir?: string
  /**
   * The environment read to find the notification service (`PATH`, `DISPLAY`, `WAYLAND_DISPLAY`,
   * `DBUS_SESSION_BUS_ADDRESS`, `XDG_RUNTIME_DIR`) and given to the commands the notifier runs.
   * @default process.env
   */
  env?: Environment
  /**
   * The platform whose mechanism is used: `linux` (and the BSDs) use notify-send, `darwin` osascript or
   * terminal-notifier, `win32` a PowerShell toast.
   * @default process.platform
   */
  platform?: NodeJS.Platform
  /**
   * Starts the commands the notifier runs (notify-send, osascript, powershell.exe, xdg-open).
   * @default spawn from node:child_process
   */
  spawn?: Spawn
  /**
   * The `fetch` account logos known only by URL are downloaded with.
   * @default globalThis.fetch
   */
  fetch?: typeof fetch
  /**
   * Where warnings go (a logo that could not be downloaded, a click that could not open the browser).
   * @default silentLogger (nothing is logged)
   */
  logger?: Logger
  /**
   * Windows: the AppUserModelID toasts are shown under. Set it to your own app's id when it has a
   * Start-menu shortcut that carries one.
   * @default POWERSHELL_APP_ID
   */
  windowsAppId?: string
}

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
const KNOWN_OPTIONS = new Set<string>([
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
])
const MAX_TEXT_OPTION_LENGTH = 200

/**
 * Checks every option and fills in the defaults.
 * @throws `ConfigError` naming the option, what was expected and what was got.
 */
export function resolveOptions(options: DesktopNotifierOptions): ResolvedOptions {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new ConfigError(
      `[${NAME}] Expected options to be an object or undefined, got ${describe(options)}.`,
    )
  }
  const unknown = Object.keys(options).filter((key) => !KNOWN_OPTIONS.has(key))
  if (unknown.length > 0) {
    throw new ConfigError(
      `[${NAME}] Unknown option ${unknown.map((key) => `\`${truncate(key)}\``).join(', ')}. ` +
        `Known options: ${[...KNOWN_OPTIONS].map((key) => `\`${key}\``).join(', ')}.`,
    )
  }
  const appName = checkText(options.appName, 'appName') ?? 'CashNotify'
  const sound = options.sound ?? false
  if (typeof sound !== 'boolean' && (typeof sound !== 'string' || !/^[^\0\r\n]{1,200}$/.test(sound.trim()))) {
    throw new ConfigError(
      `[${NAME}] Expected \`sound\` to be a boolean or a sound name (one line), got ${show(sound)}.`,
    )
  }
  const urgency = options.urgency ?? 'normal'
  if (!URGENCIES.includes(urgency)) {
    throw new ConfigError(
      `[${NAME}] Expected \`urgency\` to be one of ${URGENCIES.map((u) => `'${u}'`).join(', ')}, got ${show(urgency)}.`,
    )
  }
  checkBoolean(options.openOnClick, 'openOnClick')
  const cacheDir = options.cacheDir ?? join(tmpdir(), 'cashnotify-icons')
  if (typeof cacheDir !== 'string' || !isAbsolute(cacheDir)) {
    throw new ConfigError(`[${NAME}] Expected \`cacheDir\` to be an absolute path, got ${show(cacheDir)}.`)
  }
  const env = options.env ?? process.env
  if (env === null || typeof env !== 'object' || Array.isArray(env)) {
    throw new ConfigError(`[${NAME}] Expected \`env\` to be an object of strings, got ${describe(env)}.`)
  }
  const platform = options.platform ?? process.platform
  if (typeof platform !== 'string') {
    throw new ConfigError(
      `[${NAME}] Expected \`platform\` to be a string such as 'linux', got ${show(platform)}.`,
    )
  }
  for (const name of ['spawn', 'fetch'] as const) {
    if (options[name] !== undefined && typeof options[name] !== 'function') {
      throw new ConfigError(
        `[${NAME}] Expected \`${name}\` to be a function, got ${describe(options[name])}.`,
      )
    }
  }
  const logger = options.logger ?? silentLogger
  if (typeof logger !== 'object' || logger === null || typeof logger.warn !== 'function') {
    throw new ConfigError(
      `[${NAME}] Expected \`logger\` to be an object with debug/info/warn/error methods, got ${describe(logger)}.`,
    )
  }
  return {
    appName,
    sound,
    urgency,
    expireMs: checkMs(options.expireMs, 'expireMs', 0),
    openOnClick: options.openOnClick ?? true,
    clickWaitMs: checkMs(options.clickWaitMs, 'clickWaitMs', 1) ?? DEFAULT_CLICK_WAIT_MS,
    timeoutMs: checkMs(options.timeoutMs, 'timeoutMs', 1) ?? DEFAULT_TIMEOUT_MS,
    cacheDir,
    env,
    platform,
    spawn: options.spawn ?? nodeSpawn,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    logger: redactingLogger(logger),
    windowsAppId: checkText(options.windowsAppId, 'windowsAppId') ?? POWERSHELL_APP_ID,
  }
}

function checkText(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value.trim() === '') {
    throw new ConfigError(`[${NAME}] Expected \`${name}\` to be a non-empty string, got ${show(value)}.`)
  }
  if (value.length > MAX_TEXT_OPTION_LENGTH || /[\0\r\n]/.test(value)) {
    throw new ConfigError(
      `[${NAME}] Expected \`${name}\` to be one line of at most ${MAX_TEXT_OPTION_LENGTH} characters, ` +
        `got ${value.length} characters${/[\0\r\n]/.test(value) ? ' with a line break or NUL' : ''}.`,
    )
  }
  return value
}

function checkBoolean(value: unknown, name: string): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new ConfigError(`[${NAME}] Expected \`${name}\` to be a boolean, got ${show(value)}.`)
  }
}

function checkMs(value: unknown, name: string, min: number): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > MAX_MS) {
    throw new ConfigError(
      `[${NAME}] Expected \`${name}\` to be an integer from ${min} to ${MAX_MS} (ms), ` +
        `got ${typeof value === 'number' ? String(value) : show(value)}.`,
    )
  }
  return value
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  return typeof value
}

function show(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(truncate(value)) : describe(value)
}

function truncate(text: string, max = 40): string {
  return text.length > max ? `${text.slice(0, max)}…` : text
}
