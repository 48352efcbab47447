import type { ChildProcess } from 'node:child_process'
import type { Socket } from 'node:net'
import type { ResolvedOptions } from '../resolve-options.js'
import type { Running } from '../run.js'

/** How many notifications at most are listened to for a click at once (one waiting process each). */
export const MAX_CLICK_WAITERS = 16
/** The action a click on the notification's body invokes (the freedesktop `default` action). */
export const CLICK_ACTION = 'default'

/** The notify-send processes that wait for a click on their notification, one per notification. */
export interface ClickWaiters {
  /**
   * Keeps the process that waits for a click, for at most `clickWaitMs`; a click opens the URL. At most
   * {@link MAX_CLICK_WAITERS} wait at once: a burst of notifications stops listening to the oldest.
   */
  add(running: Running, url: string, xdgOpen: string): void
  /** Stops every waiting process. */
  close(): Promise<void>
}

/** The click waiters of one Linux driver. */
export function clickWaiters(
  options: Pick<ResolvedOptions, 'clickWaitMs' | 'env' | 'spawn' | 'logger'>,
): ClickWaiters {
  const waiting = new Set<Running>()

  function open(xdgOpen: string, url: string): void {
    let child: ChildProcess
    try {
      // Detached: the browser it may start must outlive CashNotify.
      child = options.spawn(xdgOpen, [url], { env: { ...options.env }, stdio: 'ignore', detached: true })
    } catch (error) {
      options.logger.warn(
        `[desktop] Could not run xdg-open to open the dashboard: ${(error as Error).message}`,
      )
      return
    }
    child.once('error', (error) =>
      options.logger.warn(`[desktop] Could not run xdg-open to open the dashboard: ${error.message}`),
    )
    child.once('exit', (code) => {
      if (code !== 0 && code !== null) {
        options.logger.warn(`[desktop] xdg-open exited with code ${code} while opening the dashboard.`)
      }
    })
    child.unref()
  }

  return {
    add(running, url, xdgOpen) {
      for (const oldest of waiting) {
        if (waiting.size < MAX_CLICK_WAITERS) break
        waiting.delete(oldest)
        void oldest.stop()
      }
      waiting.add(running)
      const timer = setTimeout(() => void running.stop(), options.clickWaitMs)
      timer.unref()
      // Waiting for a click never keeps Node alive: neither the process nor its pipes hold the event loop.
      running.child.unref()
      for (const stream of [running.child.stdout, running.child.stderr]) (stream as Socket | null)?.unref?.()
      running.onLine((line) => {
        if (line.trim() === CLICK_ACTION) open(xdgOpen, url)
      })
      void running.exited.then(() => {
        clearTimeout(timer)
        waiting.delete(running)
      })
    },
    async close() {
      await Promise.all([...waiting].map((running) => running.stop()))
    },
  }
}
