import {
  type DomainEventType,
  type Notification,
  NotifierError,
  type NotifierFactory,
  printable,
} from '@cashnotify/core'
import { clock, painter } from '../log/console-logger.js'
import type { LogFormat } from '../log/logger.js'
import { digestJsonLine, digestTextLines } from './console-digest.js'

/** The notifier's name, as it appears in logs, errors and dead letters. */
export const NAME = 'console'

/** Options of {@link consoleNotifier}. */
export interface ConsoleNotifierOptions {
  /**
   * Writes one line (without its newline); may return a promise, e.g. to wait for a stream to drain.
   * @default console.log
   */
  write?: (line: string) => void | Promise<void>
  /**
   * `text`: a line for a person (`14:03:27 💰 $49.00 sale · Acme Inc — jane@example.com (US) · T-shirt`);
   * `json`: one JSON object per line, as the daemon's JSON logs.
   * @default 'text'
   */
  format?: LogFormat
  /**
   * Colour the title by kind of event (text only), for a terminal.
   * @default false
   */
  color?: boolean
  /**
   * The clock of the time shown, ms since epoch.
   * @default Date.now
   */
  now?: () => number
  /**
   * Locale of a digest's amounts and dates (a notification's text is already written by core).
   * @default 'en-US'
   */
  locale?: string
}

/** One symbol per kind of event, so that a glance down the column tells sales from trouble. */
const SYMBOL: Readonly<Record<DomainEventType, string>> = {
  sale: '💰',
  'sale.updated': '🧾',
  refund: '💸',
  'payment.failed': '🔴',
  'dispute.created': '🚨',
  'dispute.closed': '🏁',
  'subscription.created': '🎉',
  'subscription.canceled': '👋',
  'subscription.trial_will_end': '⏳',
  'payout.paid': '🏦',
  'payout.failed': '🔴',
}

const TROUBLE = new Set<DomainEventType>(['payment.failed', 'dispute.created', 'payout.failed'])

/** What a rule noticed shows before the kind of event: a large sale stands out in the column. */
const MARK_SYMBOL = { large_sale: '🚀', milestone: '🏆', first_sale_of_day: '🌅' } as const

/**
 * Prints each notification as one line, and each digest as a few: for a person at a terminal (text),
 * or for a log collector (JSON, the same shape as the daemon's log lines). A real notifier: it goes
 * through delivery's filters, rules, queue and outbox like the others.
 *
 * @example
 * ```ts
 * const cn = new CashNotify({ notifiers: [consoleNotifier({ format: 'text', color: true })] })
 * ```
 */
export const consoleNotifier: NotifierFactory<ConsoleNotifierOptions> = (options = {}) => {
  const write = options.write ?? ((line: string) => console.log(line))
  const now = options.now ?? Date.now
  const paint = painter(options.color ?? false)
  const locale = options.locale ?? 'en-US'
  const json = options.format === 'json'
  return {
    name: NAME,
    send(notification, { signal }) {
      const line = json ? jsonLine(notification, now()) : textLine(notification, now(), paint)
      return writeLines(write, [line], signal)
    },
    sendDigest(notification, { signal }) {
      const lines = json
        ? [digestJsonLine(notification, now(), NAME)]
        : digestTextLines(notification, now(), { locale, paint })
      return writeLines(write, lines, signal)
    },
  }
}

/** Writes the lines in order, giving up when the send is aborted (a stream that never drains). */
async function writeLines(
  write: (line: string) => void | Promise<void>,
  lines: readonly string[],
  signal: AbortSignal,
): Promise<void> {
  signal.throwIfAborted()
  let onAbort = (): void => {}
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason)
    signal.addEventListener('abort', onAbort, { once: true })
  })
  try {
    await Promise.race([
      (async () => {
        for (const line of lines) await write(line)
      })(),
      aborted,
    ])
  } catch (error) {
    if (signal.aborted) throw signal.reason
    const reason = error instanceof Error ? error.message : String(error)
    throw new NotifierError(`Could not write the notification: ${reason}`, { notifier: NAME, cause: error })
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}

/**
 * A line for a person. Core makes titles and bodies printable; a notification from elsewhere (a replayed
 * dead letter of an older version, a notifier test) may not be, so the text is made printable again
 * here, before painting: the colours are the only escapes the line may hold.
 */
function textLine(notification: Notification, at: number, paint: ReturnType<typeof painter>): string {
  const text = printable(notification.title)
  const marked = notification.marks?.[0]
  const title = TROUBLE.has(notification.type)
    ? paint('red', text)
    : marked?.type === 'large_sale'
      ? paint('yellow', paint('bold', text))
      : notification.type === 'sale'
        ? paint('green', paint('bold', text))
        : paint('bold', text)
  // Rules write bodies of several lines (a mark's line, a group's amounts): one line here, the lines joined.
  const lines = (notification.body || '').split('\n').filter((line) => line !== '')
  const body = lines.length > 0 ? ` ${paint('dim', '—')} ${lines.map(printable).join(' · ')}` : ''
  const symbol = marked ? MARK_SYMBOL[marked.type] : SYMBOL[notification.type]
  return `${paint('dim', clock(at))} ${symbol} ${title}${body}`
}

function jsonLine(notification: Notification, at: number): string {
  const { id, type, title, body, account, livemode, amount, url, marks, group } = notification
  return JSON.stringify({
    level: 'info',
    time: new Date(at).toISOString(),
    msg: title,
    notifier: NAME,
    id,
    type,
    body,
    account: `${account.id}/${account.mode}`,
    accountName: account.name,
    livemode,
    ...(amount ? { amount } : {}),
    ...(url ? { url } : {}),
    ...(marks && marks.length > 0 ? { marks: marks.map((mark) => mark.type) } : {}),
    ...(group ? { group: group.length } : {}),
  })
}
