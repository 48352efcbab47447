import { createHash } from 'node:crypto'
import type { EventAccount, Notification } from '@cashnotify/core/notifier'
import { sniffImageType } from '@cashnotify/core/notifier'
import type { SendMailOptions } from 'nodemailer'
import { hookError } from './errors.js'
import { type HtmlStyle, renderBatchHtml, renderHtml } from './render-html.js'
import { oneLine, renderBatchText, renderText } from './render-text.js'
import type { ResolvedOptions } from './resolve-options.js'
import { plainTitle } from './title.js'

/** The header that carries a notification's idempotency id. */
export const ID_HEADER = 'X-CashNotify-Id'
/** The header of a batch that lists the ids of the notifications it holds, comma-separated. */
export const IDS_HEADER = 'X-CashNotify-Ids'

/** The right-hand side of every Message-ID and Content-ID this package makes. */
const DOMAIN = 'cashnotify'

type Attachment = NonNullable<SendMailOptions['attachments']>[number]

/** The e-mail of one notification: its Message-ID derives from the id, so a retry has the same one. */
export function singleMessage(notification: Notification, options: ResolvedOptions): SendMailOptions {
  const logos = new Logos()
  const style: HtmlStyle = { timeZone: options.timeZone, logoSrc: (account) => logos.src(account) }
  const html = renderHtml(notification, style)
  return {
    ...envelope(options),
    subject: oneLine(singleSubject(notification, options)),
    messageId: messageId(notification.id),
    headers: {
      [ID_HEADER]: oneLine(notification.id),
      'X-CashNotify-Type': notification.type,
      'Auto-Submitted': 'auto-generated',
    },
    text: renderText(notification, style),
    html,
    attachments: logos.attachments(),
  }
}

/**
 * The e-mail of a batch window. Its Message-ID derives from the ids it holds, so re-sending the same
 * window yields the same Message-ID; the ids are listed in the {@link IDS_HEADER} header.
 */
export function batchMessage(
  notifications: readonly Notification[],
  options: ResolvedOptions,
): SendMailOptions {
  const logos = new Logos()
  const style: HtmlStyle = { timeZone: options.timeZone, logoSrc: (account) => logos.src(account) }
  const heading = oneLine(batchSubject(notifications, options))
  const ids = notifications.map((n) => oneLine(n.id))
  const html = renderBatchHtml(heading, notifications, style)
  return {
    ...envelope(options),
    subject: heading,
    messageId: `<batch.${createHash('sha256').update(ids.join('\n')).digest('hex').slice(0, 32)}@${DOMAIN}>`,
    headers: {
      [IDS_HEADER]: ids.join(', '),
      'Auto-Submitted': 'auto-generated',
    },
    text: renderBatchText(heading, notifications, style),
    html,
    attachments: logos.attachments(),
  }
}

function envelope(options: ResolvedOptions): Pick<SendMailOptions, 'from' | 'to'> {
  return { from: options.from, to: [...options.to] }
}

function singleSubject(notification: Notification, options: ResolvedOptions): string {
  if (options.subject) return callHook(() => options.subject?.(notification), 'subject')
  return `${notification.livemode ? '' : '[Test] '}${plainTitle(notification)}`
}

function batchSubject(notifications: readonly Notification[], options: ResolvedOptions): string {
  const hook = options.batch?.subject
  if (hook) return callHook(() => hook(notifications), 'batch.subject')
  const accounts = new Set(notifications.map((n) => n.account.id))
  const where = accounts.size === 1 ? (notifications[0]?.account.name ?? '') : `${accounts.size} accounts`
  const test = notifications.every((n) => !n.livemode) ? '[Test] ' : ''
  return `${test}${notifications.length} notifications · ${where}`
}

/** A throwing or non-string subject hook is a bug of the app: retrying the same notification cannot help. */
export function callHook(hook: () => unknown, option: string): string {
  let subject: unknown
  try {
    subject = hook()
  } catch (error) {
    throw hookError(option, error)
  }
  if (typeof subject !== 'string' || subject.trim() === '') throw hookError(option)
  return subject
}

/**
 * `<id@cashnotify>`, with every character outside `[A-Za-z0-9_-]` written `=XX` (its UTF-8 bytes in hex),
 * so two different ids never share a Message-ID. Very long ids are hashed instead.
 */
export function messageId(id: string): string {
  const local = Array.from(new TextEncoder().encode(id), (byte) => {
    const char = String.fromCharCode(byte)
    return /[A-Za-z0-9_-]/.test(char) ? char : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`
  }).join('')
  const safe =
    local.length > 0 && local.length <= 200
      ? local
      : `sha256.${createHash('sha256').update(id).digest('hex')}`
  return `<${safe}@${DOMAIN}>`
}

/**
 * The logos of the accounts in one e-mail: each account's bytes once, as an inline attachment its
 * `<img>` refers to by `cid:`; a logo known only by its URL is linked (mail clients may block it).
 */
class Logos {
  readonly #byAccount = new Map<string, { cid: string; attachment: Attachment } | undefined>()

  src(account: EventAccount): string | undefined {
    const { logo } = account
    if (logo.data && logo.data.byteLength > 0) {
      const contentType = logo.contentType ?? sniffImageType(logo.data)
      if (contentType) return `cid:${this.#inline(account, contentType)}`
    }
    return logo.url && /^https?:\/\//i.test(logo.url) ? logo.url : undefined
  }

  attachments(): Attachment[] {
    return [...this.#byAccount.values()].flatMap((entry) => (entry ? [entry.attachment] : []))
  }

  #inline(account: EventAccount, contentType: string): string {
    const known = this.#byAccount.get(account.id)
    if (known) return known.cid
    const cid = messageId(`logo:${account.id}`).slice(1, -1)
    const extension = EXTENSIONS[contentType] ?? 'img'
    const data = account.logo.data ?? new Uint8Array()
    this.#byAccount.set(account.id, {
      cid,
      attachment: {
        filename: `logo.${extension}`,
        content: Buffer.from(data.buffer, data.byteOffset, data.byteLength),
        contentType,
        contentDisposition: 'inline',
        cid,
      },
    })
    return cid
  }
}

const EXTENSIONS: Readonly<Record<string, string>> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/gif': 'gif',
  'image/x-icon': 'ico',
}
