import type { Logger } from '@cashnotify/core/notifier'
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
