/** The e-mail of a digest: headers and ids as for a notification, the figures, and the charts inline. */
import type { DigestNotification } from '@cashnotify/core/notifier'
import type { SendMailOptions } from 'nodemailer'
import { digestCharts, MAX_CHARTS } from './digest-charts.js'
import { chartsNote } from './digest-figures.js'
import { callHook, ID_HEADER, messageId } from './message.js'
import { renderDigestHtml, renderDigestText } from './render-digest.js'
import { oneLine } from './render-text.js'
import type { ResolvedOptions } from './resolve-options.js'

/**
 * The e-mail of a digest. Its Message-ID derives from the digest's id (stable across retries, restarts
 * and processes), so a receiver can drop a repeat; the id is in the `X-CashNotify-Id` header.
 */
export async function digestMessage(
  notification: DigestNotification,
  options: ResolvedOptions,
): Promise<SendMailOptions> {
  const { digest } = notification
  const subject = oneLine(digestSubject(notification, options))
  const title = digest.livemode ? notification.title : notification.title.replace(/^\[test\] /i, '')
  const drawn = options.digestChart
    ? await digestCharts(digest, options.digestChart, (name) => messageId(name).slice(1, -1))
    : { charts: [], problem: undefined }
  const notes = [
    options.digestChart
      ? chartsNote(Math.min(MAX_CHARTS, digest.currencies.length), digest.currencies.length)
      : undefined,
    drawn.problem ? `A chart was left out: ${drawn.problem}` : undefined,
    digest.total ? undefined : totalsNote(digest.currencies.length),
  ].filter((note): note is string => note !== undefined)
  const view = { title, charts: drawn.charts, notes }
  return {
    from: options.from,
    to: [...options.to],
    subject,
    messageId: messageId(notification.id),
    headers: {
      [ID_HEADER]: oneLine(notification.id),
      'X-CashNotify-Type': 'digest',
      'Auto-Submitted': 'auto-generated',
    },
    text: renderDigestText(notification, view),
    html: renderDigestHtml(notification, view),
    attachments: drawn.charts.map((chart) => chart.attachment),
  }
}

function digestSubject(notification: DigestNotification, options: ResolvedOptions): string {
  if (options.digestSubject) return callHook(() => options.digestSubject?.(notification), 'digestSubject')
  const { digest } = notification
  const title = digest.livemode ? notification.title : notification.title.replace(/^\[test\] /i, '')
  return `${digest.livemode ? '' : '[Test] '}${title}`
}

/** Several currencies and no conversion function: say why there is no grand total. */
function totalsNote(currencies: number): string | undefined {
  if (currencies < 2) return undefined
  return 'Each currency is summed on its own: there is no total across currencies without exchange rates, which CashNotify never guesses.'
}
