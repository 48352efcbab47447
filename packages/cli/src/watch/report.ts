import {
  type CashNotify,
  type CashNotifyOptions,
  formatNotification,
  type Logger,
  type Notification,
} from '@cashnotify/core'

/** What a run delivered, per notifier: for the line written when it stops. */
export interface DeliveryCounts {
  /** Delivered notifications, by notifier name. */
  readonly delivered: Map<string, number>
  /** Notifications that became dead letters, by notifier name. */
  readonly dead: Map<string, number>
}

function quote(notification: Pick<Notification, 'title'>): string {
  return `"${notification.title}"`
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`
}

const add = (map: Map<string, number>, key: string): void => {
  map.set(key, (map.get(key) ?? 0) + 1)
}

/**
 * Turns CashNotify's events into log lines a person can act on, and counts deliveries.
 *
 * - each notified event in one line, unless a console notifier already prints it (`logEvents: false`);
 * - the backfill of each account in one line (how many past events were read, and that they are not notified);
 * - each retry as a warning, each dead letter as an error saying how to see and replay it;
 * - each delivery at debug level.
 *
 * Status changes, gaps and errors are logged by CashNotify itself, through the same logger.
 */
export function reportEvents(
  cn: CashNotify,
  options: {
    readonly logger: Logger
    readonly logEvents: boolean
    readonly format: Pick<CashNotifyOptions, 'privacy' | 'locale' | 'timeZone'>
    readonly deadLetterHint: string
  },
): DeliveryCounts {
  const { logger } = options
  const counts: DeliveryCounts = { delivered: new Map(), dead: new Map() }
  const backfilled = new Map<string, { name: string; count: number }>()

  cn.on('stripe.event', (_event, { account, backfill }) => {
    if (!backfill) return
    const entry = backfilled.get(account.ref)
    if (entry) {
      entry.count++
      return
    }
    backfilled.set(account.ref, { name: account.name, count: 1 })
    // One poll emits its whole backfill synchronously: by the next turn, the count is complete.
    setImmediate(() => {
      const done = backfilled.get(account.ref)
      if (!done) return
      logger.info(
        `${done.name} (${account.ref}): read its ${done.count} most recent event${done.count === 1 ? '' : 's'} as history; from now on, every new one is notified.`,
        { account: account.ref, backfill: done.count },
      )
    })
  })
  if (options.logEvents) {
    cn.on('event', (event) => {
      if (event.backfill) return
      const { title, body } = formatNotification(event, options.format)
      logger.info(body ? `${title} — ${body}` : title, {
        id: event.id,
        type: event.type,
        account: `${event.account.id}/${event.account.mode}`,
      })
    })
  }
  cn.on('notification.delivered', ({ notifier, notification, attempt }) => {
    add(counts.delivered, notifier)
    logger.debug(`${notifier} delivered ${quote(notification)}`, { id: notification.id, notifier, attempt })
  })
  cn.on('notification.retry', ({ notifier, notification, attempt, delayMs, error }) => {
    logger.warn(
      `${notifier} could not deliver ${quote(notification)} (attempt ${attempt}): ${error.message.replace(/^\[cashnotify\] /, '')} Trying again in ${seconds(delayMs)}.`,
      { id: notification.id, notifier, attempt, code: error.code },
    )
  })
  cn.on('notification.dead_letter', ({ deadLetter }) => {
    add(counts.dead, deadLetter.notifier)
    logger.error(
      `${deadLetter.notifier} gave up on ${quote(deadLetter.notification)} after ${deadLetter.attempts} attempt${deadLetter.attempts === 1 ? '' : 's'}: ${deadLetter.error.message.replace(/^\[cashnotify\] /, '')} It is kept as a dead letter: ${options.deadLetterHint}`,
      { id: deadLetter.id, notifier: deadLetter.notifier, code: deadLetter.error.code },
    )
  })
  return counts
}

/** `console 12, webhook 12`, or `none`. */
export function countsText(map: ReadonlyMap<string, number>): string {
  const parts = [...map].map(([name, count]) => `${name} ${count}`)
  return parts.length > 0 ? parts.join(', ') : 'none'
}
