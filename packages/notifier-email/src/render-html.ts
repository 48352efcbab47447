import type { EventAccount, Notification } from '@cashnotify/core/notifier'
import { type DateStyle, details, unavailableNote } from './details.js'
import { plainTitle } from './title.js'

/** How an account's logo is shown: a `cid:` of an inline attachment, a public URL, or not at all. */
export type LogoSource = (account: EventAccount) => string | undefined

/** What every HTML rendering needs besides the notifications. */
export interface HtmlStyle extends DateStyle {
  readonly logoSrc: LogoSource
}

const FONT = "font-family:-apple-system,BlinkMacSystemFont,'Segoe UI',Roboto,Helvetica,Arial,sans-serif"

/** The HTML part of a one-notification e-mail. Every value is escaped: names and reasons are user input. */
export function renderHtml(notification: Notification, style: HtmlStyle): string {
  return page(plainTitle(notification), [card(notification, style, 'h1')], [notification.id])
}

/** The HTML part of a batch: a heading, then one card per notification. */
export function renderBatchHtml(
  heading: string,
  notifications: readonly Notification[],
  style: HtmlStyle,
): string {
  const cards = notifications.map((notification) => card(notification, style, 'h2'))
  return page(
    heading,
    [`<h1 style="margin:0 0 16px;font-size:20px">${escapeHtml(heading)}</h1>`, ...cards],
    notifications.map((n) => n.id),
  )
}

function page(title: string, sections: readonly string[], ids: readonly string[]): string {
  const what = ids.length === 1 ? `notification ${escapeHtml(ids[0] ?? '')}` : `${ids.length} notifications`
  return `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title></head>
<body style="margin:0;padding:24px;background:#f6f8fa;${FONT};color:#1a1f36">
<div style="max-width:560px;margin:0 auto">
${sections.join('\n')}
<p style="margin:16px 0 0;font-size:12px;color:#697386">Sent by CashNotify (${what}).</p>
</div>
</body>
</html>
`
}

function card(notification: Notification, style: HtmlStyle, heading: 'h1' | 'h2'): string {
  const { account } = notification
  const logo = style.logoSrc(account)
  const parts: string[] = []
  parts.push(
    '<table role="presentation" cellpadding="0" cellspacing="0" style="border-collapse:collapse"><tr>',
    logo
      ? `<td style="padding-right:12px;vertical-align:middle"><img src="${escapeHtml(logo)}" alt="${escapeHtml(account.name)}" width="40" height="40" style="display:block;border-radius:8px"></td>`
      : '',
    `<td style="vertical-align:middle;font-size:14px;color:#697386">${escapeHtml(account.name)}`,
    notification.livemode
      ? ''
      : ' <span style="background:#ffde92;color:#983705;border-radius:4px;padding:1px 6px;font-size:12px;font-weight:600">Test mode</span>',
    '</td></tr></table>',
  )
  const size = heading === 'h1' ? 22 : 18
  parts.push(
    `<${heading} style="margin:12px 0 4px;font-size:${size}px">${escapeHtml(plainTitle(notification))}</${heading}>`,
  )
  if (notification.body.trim() !== '') {
    parts.push(`<p style="margin:0 0 12px;color:#3c4257">${escapeHtml(notification.body)}</p>`)
  }
  const rows = details(notification.event, style)
    .map(
      ({ label, value }) =>
        `<tr><th scope="row" style="text-align:left;padding:4px 12px 4px 0;color:#697386;font-weight:normal;white-space:nowrap;vertical-align:top">${escapeHtml(label)}</th><td style="padding:4px 0">${escapeHtml(value)}</td></tr>`,
    )
    .join('')
  parts.push(
    `<table cellpadding="0" cellspacing="0" style="border-collapse:collapse;font-size:14px">${rows}</table>`,
  )
  const note = unavailableNote(notification.event)
  if (note) parts.push(`<p style="margin:8px 0 0;font-size:12px;color:#697386">${escapeHtml(note)}</p>`)
  const url = safeUrl(notification.url)
  if (url) {
    parts.push(
      `<p style="margin:16px 0 0"><a href="${escapeHtml(url)}" style="display:inline-block;background:#635bff;color:#ffffff;text-decoration:none;border-radius:6px;padding:10px 16px;font-weight:600">View in the Stripe Dashboard</a></p>`,
    )
  }
  return `<div style="background:#ffffff;border:1px solid #e3e8ee;border-radius:8px;padding:20px;margin:0 0 12px">${parts.join('')}</div>`
}

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
}

/** Escapes text for HTML content and double- or single-quoted attributes. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ENTITIES[char] ?? char)
}

/** Only http(s) links become a button: a `javascript:` URL never reaches an `href`. */
function safeUrl(url: string | undefined): string | undefined {
  if (!url) return undefined
  try {
    const { protocol } = new URL(url)
    return protocol === 'https:' || protocol === 'http:' ? url : undefined
  } catch {
    return undefined
  }
}
