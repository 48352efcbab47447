import { NotifierError } from '@cashnotify/core/notifier'
import { NAME } from './options.js'
import type { ResolvedSmtpOptions } from './resolve-options.js'

/** The fields of a nodemailer error this package reads. */
interface SmtpFailure {
  readonly message?: string
  readonly code?: string
  readonly originalCode?: string
  readonly command?: string
  readonly response?: string
  readonly responseCode?: number
  readonly permanent?: boolean
  readonly rejected?: readonly string[]
  readonly rejectedErrors?: readonly SmtpFailure[]
}

/** Network failures: the server could not be reached or dropped the connection. */
const NETWORK_CODES = new Set(['ECONNECTION', 'ESOCKET', 'ETIMEDOUT', 'EDNS', 'EPROXY'])

/** Node's codes of a certificate that failed verification: a retry meets the same certificate. */
const CERTIFICATE = /CERT|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER/

/** Replies that say the server or the domain does not accept mail at all (RFC 7504): SMTP's 410 Gone. */
const GONE = new Set([521, 556])

/**
 * Turns whatever nodemailer threw into a {@link NotifierError} that says what happened, where, whether a
 * retry can help, and what to do. SMTP 4xx replies are retryable, 5xx replies are not (RFC 5321), 521 and
 * 556 (no mail accepted at all, RFC 7504) disable the notifier, network failures are retryable, a refused
 * login is not. The password is never in the message or the cause.
 */
export function toNotifierError(error: unknown, smtp: ResolvedSmtpOptions): NotifierError {
  if (error instanceof NotifierError) return error
  const failure = (typeof error === 'object' && error !== null ? error : {}) as SmtpFailure
  const server = `${smtp.host}:${smtp.port}`
  const cause = sanitisedCause(failure, smtp)
  const reply = failure.response ? ` (${scrub(oneLine(failure.response), smtp)})` : ''
  const fail = (message: string, retryable: boolean) =>
    new NotifierError(message, { notifier: NAME, retryable, cause })

  if (failure.code === 'EABORT') return fail(`Sending was aborted${reason(failure)}.`, true)
  if (failure.code === 'EAUTH') {
    const retryable = failure.responseCode !== undefined && failure.responseCode < 500
    const user = smtp.auth ? ` of user ${JSON.stringify(smtp.auth.user)}` : ''
    return fail(
      retryable
        ? `The SMTP server at ${server} could not check the credentials${user} just now${reply}. Will try again.`
        : `The SMTP server at ${server} refused the credentials${user}${reply}. ` +
            'Check `smtp.auth.user` and `smtp.auth.pass` (some providers need an app password).',
      retryable,
    )
  }
  if (failure.code === 'ENOAUTH') {
    return fail(
      `The SMTP server at ${server} asks for a login, but \`smtp.auth\` is not set. Add \`smtp.auth: { user, pass }\`.`,
      false,
    )
  }
  if (CERTIFICATE.test(failure.originalCode ?? '')) {
    return fail(
      `Could not verify the TLS certificate of the SMTP server at ${server} (${failure.originalCode}: ${oneLine(failure.message ?? '')}). ` +
        'Trust its certificate with `smtp.tls.ca`, or check `smtp.host` / `smtp.tls.servername`.',
      false,
    )
  }
  if (failure.code === 'ETLS' && failure.command === 'STARTTLS' && failure.permanent === true) {
    return fail(
      `The SMTP server at ${server} does not offer STARTTLS${reply}, and \`smtp.requireTLS\` forbids sending in clear. ` +
        'Set `smtp.secure: true` if it speaks TLS from the first byte (usually port 465).',
      false,
    )
  }
  if (failure.code === 'ETLS' || failure.code === 'EREQUIRETLS') {
    return fail(
      `The TLS connection to the SMTP server at ${server} failed: ${oneLine(failure.message ?? '')}. ` +
        'Check `smtp.secure` (true for port 465) and `smtp.requireTLS`.',
      failure.code === 'ETLS' && failure.permanent !== true,
    )
  }
  if (failure.responseCode !== undefined && failure.responseCode >= 400) {
    return fromReply(failure, server, reply, smtp, cause)
  }
  if (failure.code && NETWORK_CODES.has(failure.code)) {
    const detail = failure.originalCode ?? failure.code
    return fail(
      `Could not reach the SMTP server at ${server} (${detail}: ${oneLine(scrub(failure.message ?? '', smtp))}). ` +
        'Will try again; if it lasts, check `smtp.host`, `smtp.port` and `smtp.secure`.',
      true,
    )
  }
  return fail(
    `Sending through the SMTP server at ${server} failed: ${oneLine(scrub(failure.message ?? String(error), smtp))}`,
    true,
  )
}

/** An SMTP reply of 4xx (try later) or 5xx (refused for good, 503 aside). */
function fromReply(
  failure: SmtpFailure,
  server: string,
  reply: string,
  smtp: ResolvedSmtpOptions,
  cause: Error,
): NotifierError {
  const code = failure.responseCode ?? 0
  if (code === 530) {
    const message = smtp.auth
      ? `The SMTP server at ${server} requires a login the connection did not make${reply}. Check \`smtp.secure\` and \`smtp.requireTLS\`: many servers only offer AUTH over TLS.`
      : `The SMTP server at ${server} requires a login${reply}. Set \`smtp.auth: { user, pass }\`.`
    return new NotifierError(scrub(message, smtp), { notifier: NAME, retryable: false, cause })
  }
  const permanent = failure.permanent ?? (code >= 500 && code !== 503)
  const refused = failure.rejected?.length ? ` for ${failure.rejected.join(', ')}` : ''
  const command = failure.command ? ` to ${failure.command.split(' ')[0]}` : ''
  const what = `The SMTP server at ${server} answered ${code}${command}${refused}${reply}.`
  if (GONE.has(code)) {
    const message =
      `${what} It accepts no mail for these addresses at all, so this notifier is disabled and gets no more ` +
      'notifications. Create it again with a working `smtp.host` or `to` to resume.'
    return new NotifierError(scrub(message, smtp), { notifier: NAME, retryable: false, disable: true, cause })
  }
  const afterData = failure.command?.startsWith('DATA') === true || failure.command === '.'
  const message = !permanent
    ? `${what} It asks to try again later.`
    : afterData
      ? `${what} It refused this message for good (its content or size).`
      : `${what} It refused the message for good: check the addresses in \`to\` and \`from\` and that the server may relay for \`from\`.`
  return new NotifierError(scrub(message, smtp), { notifier: NAME, retryable: !permanent, cause })
}

/** A send after `close()`: the pool is gone, so the notifier cannot reopen it. */
export function closedError(): NotifierError {
  return new NotifierError('The notifier is closed; create a new one to send again.', { notifier: NAME })
}

/**
 * A notification's signal aborted while it waited for its batch window: retryable, and the message says
 * what the delivery timeout needs.
 */
export function windowAbortedError(everyMs: number, signal: AbortSignal): NotifierError {
  return new NotifierError(
    `Sending was aborted while the notification waited for its batch window (${everyMs / 60_000} min)` +
      `${signal.reason instanceof Error ? `: ${signal.reason.message}` : ''}. ` +
      'In batch mode, give this notifier a delivery timeout longer than `batch.everyMinutes`.',
    { notifier: NAME, retryable: true, cause: signal.reason },
  )
}

/**
 * A subject hook threw (`error`) or returned no text: a bug of the app, which retrying the same
 * notification cannot fix.
 */
export function hookError(option: string, error?: unknown): NotifierError {
  if (error === undefined) {
    return new NotifierError(`Expected the \`${option}\` option to return a non-empty string.`, {
      notifier: NAME,
      retryable: false,
    })
  }
  return new NotifierError(`The \`${option}\` option threw: ${(error as Error)?.message ?? String(error)}`, {
    notifier: NAME,
    retryable: false,
    cause: error,
  })
}

/**
 * The server took the message for some recipients and refused others. Retrying re-sends to all of them
 * (receivers can drop the copy by its Message-ID), so it is retryable only when every refusal was a 4xx.
 */
export function partlyRefused(
  info: { accepted?: string[] | undefined; rejected?: string[] | undefined; rejectedErrors?: unknown },
  smtp: ResolvedSmtpOptions,
): NotifierError {
  const errors = Array.isArray(info.rejectedErrors)
    ? (info.rejectedErrors as Array<{ responseCode?: number; response?: string }>)
    : []
  const temporary = errors.length > 0 && errors.every((e) => (e.responseCode ?? 500) < 500)
  const replies = errors.map((e) => e.response).filter(Boolean)
  const message =
    `The SMTP server at ${smtp.host}:${smtp.port} accepted the e-mail for ${(info.accepted ?? []).join(', ') || 'nobody'} ` +
    `but refused it for ${(info.rejected ?? []).join(', ')}${replies.length ? ` (${replies.join('; ')})` : ''}. ` +
    (temporary ? 'It asks to try again later.' : 'Check those addresses in `to`.')
  return new NotifierError(scrub(message, smtp), { notifier: NAME, retryable: temporary })
}

/** The error a send rejects with when its signal aborts. Retryable: the notification was not delivered by us. */
export function abortedError(signal: AbortSignal): NotifierError {
  const why = signal.reason instanceof Error ? signal.reason.message : undefined
  return new NotifierError(`Sending was aborted${why ? `: ${oneLine(why)}` : ''}.`, {
    notifier: NAME,
    retryable: true,
    cause: signal.reason,
  })
}

function reason(failure: SmtpFailure): string {
  const inner = (failure as { cause?: unknown }).cause
  return inner instanceof Error ? `: ${oneLine(inner.message)}` : ''
}

/**
 * A plain copy of the nodemailer error with only the fields worth keeping, the password scrubbed from
 * each: nodemailer's own error never holds it, but a server could echo what it was sent.
 */
function sanitisedCause(failure: SmtpFailure, smtp: ResolvedSmtpOptions): Error {
  const copy = new Error(scrub(failure.message ?? 'SMTP failure', smtp))
  copy.name = 'SmtpError'
  const fields: Record<string, unknown> = {}
  for (const key of ['code', 'originalCode', 'command', 'responseCode', 'permanent'] as const) {
    if (failure[key] !== undefined) fields[key] = failure[key]
  }
  if (failure.response !== undefined) fields.response = scrub(failure.response, smtp)
  if (failure.rejected !== undefined) fields.rejected = [...failure.rejected]
  Object.assign(copy, fields)
  copy.stack = `${copy.name}: ${copy.message}`
  return copy
}

/** Removes the password, and the base64 forms AUTH PLAIN and AUTH LOGIN send, from a text. */
export function scrub(text: string, smtp: ResolvedSmtpOptions): string {
  const pass = smtp.auth?.pass
  if (!pass) return text
  const forms = [
    pass,
    Buffer.from(pass).toString('base64'),
    Buffer.from(`\u0000${smtp.auth?.user ?? ''}\u0000${pass}`).toString('base64'),
  ]
  // A password this short would match ordinary words; it cannot be told apart, so it is not looked for.
  return forms
    .filter((form) => form.length >= 4)
    .reduce((out, form) => out.split(form).join('[redacted]'), text)
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}
