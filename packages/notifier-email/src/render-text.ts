import type { Notification } from '@cashnotify/core/notifier'
import { type DateStyle, details, unavailableNote } from './details.js'
import { plainTitle } from './title.js'

/** The plain-text part of a one-notification e-mail. */
export function renderText(notification: Notification, style: DateStyle): string {
  const lines: string[] = []
  if (!notification.livemode) lines.push('[Test mode]')
  lines.push(...block(notification, style))
  lines.push('', footer([notification.id]))
  return `${lines.join('\n')}\n`
}

/** The plain-text part of a batch: a heading, then each notification as in a single e-mail. */
export function renderBatchText(
  heading: string,
  notifications: readonly Notification[],
  style: DateStyle,
): string {
  const lines: string[] = [heading, '='.repeat(Math.min(heading.length, 72))]
  for (const notification of notifications) {
    lines.push('')
    lines.push(...block(notification, style, notification.livemode ? '' : '[Test mode] '))
    lines.push('-'.repeat(40))
  }
  lines.push('', footer(notifications.map((n) => n.id)))
  return `${lines.join('\n')}\n`
}

function block(notification: Notification, style: DateStyle, prefix = ''): string[] {
  const lines = [`${prefix}${oneLine(plainTitle(notification))}`]
  if (notification.body.trim() !== '') lines.push(notification.body.trim())
  lines.push('')
  const rows = details(notification.event, style)
  const width = Math.max(...rows.map((row) => row.label.length))
  for (const { label, value } of rows) lines.push(`${`${label}:`.padEnd(width + 2)}${oneLine(value)}`)
  const note = unavailableNote(notification.event)
  if (note) lines.push('', note)
  if (notification.url) lines.push('', `View in the Stripe Dashboard: ${notification.url}`)
  return lines
}

function footer(ids: readonly string[]): string {
  const what = ids.length === 1 ? `notification ${ids[0]}` : `${ids.length} notifications`
  return `-- \nSent by CashNotify (${what}).`
}

/** Folds line breaks and runs of spaces, so a value cannot forge extra lines. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}
