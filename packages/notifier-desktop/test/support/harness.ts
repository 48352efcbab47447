import type { NotifierHarness } from '@cashnotify/core/testing'
import { type DesktopNotifierOptions, desktopNotifier, ID_HINT } from '../../src/index.js'
import type { NotifyMonitor, ObservedNotification } from './monitor.js'
import type { DesktopSession, NotificationDaemon } from './session.js'

/** A {@link NotifierHarness} with what the desktop tests look at besides. */
export interface DesktopHarness extends NotifierHarness {
  readonly monitor: NotifyMonitor
  readonly daemon: () => NotificationDaemon
  /** The Notify calls the daemon answered, in order. */
  shown(): Promise<ObservedNotification[]>
}

/**
 * A desktop notifier talking to a real dunst on the session's private bus, watched by dbus-monitor.
 * `fail()` stops dunst (nobody owns org.freedesktop.Notifications), `stall()` freezes it (SIGSTOP), and
 * `recover()` undoes either.
 */
export async function desktopHarness(
  session: DesktopSession,
  options: DesktopNotifierOptions = {},
): Promise<DesktopHarness> {
  const monitor = await session.monitor()
  let daemon: NotificationDaemon
  try {
    daemon = await session.startDaemon(monitor)
  } catch (error) {
    await monitor.stop()
    throw error
  }
  const notifier = desktopNotifier({ env: session.env, cacheDir: await session.tempDir(), ...options })
  const shown = async (): Promise<ObservedNotification[]> =>
    (await monitor.notifications()).filter((n) => n.daemonId !== undefined)
  return {
    notifier,
    monitor,
    daemon: () => daemon,
    shown,
    received: async () => (await shown()).map((n) => String(n.hints[ID_HINT])),
    fail: () => daemon.stop(),
    stall: () => daemon.pause(),
    recover: async () => {
      if (daemon.running) daemon.resume()
      else daemon = await session.startDaemon(monitor)
    },
    close: async () => {
      await notifier.close?.()
      await daemon.stop()
      await monitor.stop()
    },
  }
}
