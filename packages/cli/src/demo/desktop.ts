import type { Notifier } from '@cashnotify/core'

function plain(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).replace(
    /^\[cashnotify\] (\[desktop\] )?/,
    '',
  )
}

/** What the desktop did during the demo. */
export interface DesktopTally {
  /** Notifications shown. */
  shown: number
  /** Why it stopped trying, once a send failed. */
  absent: string | undefined
}

/**
 * The desktop notifier for the demo: a machine without a notification daemon (a server, CI) is only
 * found out by the first send. Then the demo says so once and stops trying, instead of retrying every
 * notification for minutes; in `cashnotify watch` the same failure is retried and dead-lettered.
 */
export function desktopOnce(
  notifier: Notifier,
  tally: DesktopTally,
  onAbsent: (reason: string) => void,
): Notifier {
  return {
    name: notifier.name,
    async send(notification, context) {
      if (tally.absent !== undefined) return
      try {
        await notifier.send(notification, context)
        tally.shown++
      } catch (error) {
        if (context.signal.aborted) throw error
        tally.absent = plain(error)
        onAbsent(tally.absent)
      }
    },
    ...(notifier.close ? { close: () => notifier.close?.() ?? Promise.resolve() } : {}),
  }
}
