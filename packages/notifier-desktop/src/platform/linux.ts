import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import type { NotifierError } from '@cashnotify/core/notifier'
import { desktopError, firstLine, meaningfulLines, serviceError, setupError } from '../errors.js'
import type { Environment } from '../options.js'
import type { ResolvedOptions } from '../resolve-options.js'
import { CommandFailure, type Exit, findExecutable, run } from '../run.js'
import { CLICK_ACTION, clickWaiters } from './linux-clicks.js'
import type { DesktopMessage, PlatformDriver } from './types.js'

/** The hint that carries the notification's idempotency id in every Notify call. */
export const ID_HINT = 'x-cashnotify-id'
/** The freedesktop sound-theme name played when `sound` is `true`. */
export const DEFAULT_LINUX_SOUND = 'message-new-instant'
const INSTALL_LIBNOTIFY =
  'Install it: `sudo apt-get install libnotify-bin` (Debian, Ubuntu), `sudo dnf install libnotify` (Fedora), ' +
  '`sudo pacman -S libnotify` (Arch).'

/** The options the Linux driver reads. */
export type LinuxOptions = Pick<
  ResolvedOptions,
  'appName' | 'sound' | 'urgency' | 'expireMs' | 'openOnClick' | 'clickWaitMs' | 'env' | 'spawn' | 'logger'
>

/**
 * The notify-send arguments for a message. With `waitForClick`, the notification carries the `default`
 * action and notify-send prints its id, then the action's name if it is clicked.
 */
export function notifySendArgs(
  message: DesktopMessage,
  options: Pick<LinuxOptions, 'appName' | 'sound' | 'urgency' | 'expireMs'>,
  waitForClick: boolean,
): string[] {
  const args = [`--app-name=${options.appName}`, `--urgency=${options.urgency}`]
  if (options.expireMs !== undefined) args.push(`--expire-time=${options.expireMs}`)
  if (message.iconPath !== undefined) {
    // app_icon for servers that only read that; image-path is the spec's way to give the image itself.
    args.push(`--icon=${message.iconPath}`, `--hint=string:image-path:${message.iconPath}`)
  }
  args.push(`--hint=string:${ID_HINT}:${message.id}`)
  if (options.sound === false) args.push('--hint=boolean:suppress-sound:true')
  else args.push(`--hint=string:sound-name:${options.sound === true ? DEFAULT_LINUX_SOUND : options.sound}`)
  if (waitForClick) args.push('--print-id', `--action=${CLICK_ACTION}=Open in Stripe`)
  // `--` so that a title starting with `-` is not read as an option.
  args.push('--', oneLine(message.title) || options.appName, escapeMarkup(message.body))
  return args
}

/**
 * The body as freedesktop body markup: servers that support it (GNOME, KDE, dunst, mako...) would read
 * `<` and `&` as markup, so they are escaped.
 */
export function escapeMarkup(text: string): string {
  return text.replace(/[&<>]/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;'))
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim()
}

/** The programs the driver runs, once found. */
interface Programs {
  readonly notifySend: string
  /** `stdbuf` (GNU coreutils): makes notify-send print its id at once, so a send need not wait for clicks. */
  readonly stdbuf: string | undefined
  readonly xdgOpen: string | undefined
}

/**
 * Linux and the BSDs: the freedesktop notification service (org.freedesktop.Notifications on the D-Bus
 * session bus), through notify-send from libnotify.
 */
export function linuxDriver(options: LinuxOptions): PlatformDriver {
  let programs: Programs | undefined
  const clicks = clickWaiters(options)

  async function check(): Promise<Programs> {
    if (programs) return programs
    const notifySend = await findExecutable('notify-send', options.env)
    if (!notifySend) {
      throw setupError(
        `Cannot show desktop notifications: \`notify-send\` was not found on PATH (${options.env.PATH ?? 'PATH is not set'}). ${INSTALL_LIBNOTIFY}`,
      )
    }
    await checkSessionBus(options.env)
    const [stdbuf, xdgOpen] = await Promise.all([
      findExecutable('stdbuf', options.env),
      findExecutable('xdg-open', options.env),
    ])
    programs = { notifySend, stdbuf, xdgOpen }
    return programs
  }

  async function show(message: DesktopMessage, signal: AbortSignal): Promise<void> {
    const found = await check()
    const clickable = options.openOnClick && message.url !== undefined
    if (clickable && (!found.stdbuf || !found.xdgOpen)) {
      options.logger.debug(
        `[desktop] Clicks cannot open the dashboard here: ${found.xdgOpen ? 'stdbuf' : 'xdg-open'} was not found on PATH.`,
      )
    }
    const waitForClick = clickable && found.stdbuf !== undefined && found.xdgOpen !== undefined
    const args = notifySendArgs(message, options, waitForClick)
    const outcome = waitForClick
      ? await run(found.stdbuf!, ['-oL', found.notifySend, ...args], {
          spawn: options.spawn,
          env: options.env,
          signal,
          // notify-send prints `0` when the call failed: only a real id (> 0) means the daemon took it.
          ready: (stdout) => /^[1-9]\d*\n/.test(stdout),
        })
      : await run(found.notifySend, args, { spawn: options.spawn, env: options.env, signal })
    if ('running' in outcome) {
      clicks.add(outcome.running, message.url!, found.xdgOpen!)
      return
    }
    if (outcome.exit.code !== 0) throw failure(outcome.exit, options.env)
  }

  return {
    check: async () => {
      await check()
    },
    show: async (message, signal) => {
      try {
        await show(message, signal)
      } catch (error) {
        if (error instanceof CommandFailure && error.reason === 'not-found') {
          programs = undefined
          throw setupError(
            `Cannot show desktop notifications: ${error.command} disappeared. ${INSTALL_LIBNOTIFY}`,
            error,
          )
        }
        throw error
      }
    },
    close: () => clicks.close(),
  }
}

/**
 * Fails when there is certainly no session bus: no `DBUS_SESSION_BUS_ADDRESS`, no `$XDG_RUNTIME_DIR/bus`,
 * and no X display notify-send could find one through.
 */
async function checkSessionBus(env: Environment): Promise<void> {
  if (env.DBUS_SESSION_BUS_ADDRESS) return
  if (env.XDG_RUNTIME_DIR && (await exists(join(env.XDG_RUNTIME_DIR, 'bus')))) return
  if (env.DISPLAY) return // notify-send can still find (or autolaunch) the display's bus
  const display = env.WAYLAND_DISPLAY ? '' : ' and no display (DISPLAY and WAYLAND_DISPLAY are not set)'
  throw setupError(
    'Cannot show desktop notifications: no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set and ' +
      `${env.XDG_RUNTIME_DIR ? '$XDG_RUNTIME_DIR/bus does not exist' : 'XDG_RUNTIME_DIR is not set'})${display}. ` +
      'Run CashNotify inside your desktop session, or give it that session’s bus: ' +
      'DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/$(id -u)/bus (see `echo $DBUS_SESSION_BUS_ADDRESS` ' +
      'in a terminal of the desktop). On a headless server, use another notifier (webhook, email).',
  )
}

const NO_DAEMON = /ServiceUnknown|NameHasNoOwner|not provided by any \.service files|Spawn\.|ChildExited/
const NO_ANSWER = /NoReply|Timeout was reached|timed out/i
const NO_BUS =
  /Could not connect|Connection refused|Failed to connect to|Cannot autolaunch|Address element|Unknown address|dbus-launch/i

/** Maps notify-send's failure (its GDBus error on stderr) to an error that says what to do. */
export function failure(exit: Exit, env: Environment): NotifierError {
  const said = (pattern: RegExp): string =>
    firstLine(meaningfulLines(exit.stderr).find((line) => pattern.test(line)) ?? exit.stderr) ||
    `exit code ${exit.code ?? exit.signal}`
  const bus =
    env.DBUS_SESSION_BUS_ADDRESS || (env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'bus') : 'unknown')
  if (NO_DAEMON.test(exit.stderr)) {
    return serviceError(
      'No notification daemon is running: nothing owns org.freedesktop.Notifications on the session bus ' +
        `(${bus}). Start your desktop's notification service, or one such as dunst, mako or xfce4-notifyd ` +
        `(\`sudo apt-get install dunst\`); notifications resume by themselves. notify-send said: ${said(NO_DAEMON)}.`,
    )
  }
  if (NO_ANSWER.test(exit.stderr)) {
    return serviceError(
      `The notification daemon did not answer (it may be hung): restart it. notify-send said: ${said(NO_ANSWER)}.`,
    )
  }
  if (NO_BUS.test(exit.stderr)) {
    return serviceError(
      `Cannot reach the D-Bus session bus (${bus}): ${said(NO_BUS)}. Check that the session bus is running and ` +
        'that DBUS_SESSION_BUS_ADDRESS points at it (compare with `echo $DBUS_SESSION_BUS_ADDRESS` in a ' +
        'terminal of the desktop).',
    )
  }
  return desktopError(`notify-send failed: ${said(/./)}.`)
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}
