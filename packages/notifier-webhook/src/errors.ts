/**
 * How a send's failures become {@link NotifierError}s that tell delivery what to do: retryable for
 * network errors, timeouts, aborts, 408, 429 and 5xx (with `retryAfterMs` from `Retry-After`), `disable`
 * for 410, not retryable otherwise. Messages name the host only, never the URL, a secret or a header value.
 */
import { STATUS_CODES } from 'node:http'
import { NotifierError } from '@cashnotify/core/notifier'
import { NAME } from './options.js'
import type { ResolvedOptions } from './resolve-options.js'

/** The notification id cannot be a header value: no retry can change that. */
export function headerError(options: ResolvedOptions, error: unknown): NotifierError {
  return new NotifierError(
    `The notification id cannot be sent as an HTTP header (it must be visible ASCII). A retry cannot help.`,
    { notifier: NAME, retryable: false, cause: scrubError(error, options) },
  )
}

/** What a non-2xx answer means; `excerpt` is the start of its body, scrubbed. */
export function statusError(options: ResolvedOptions, response: Response, excerpt: string): NotifierError {
  const { status } = response
  const answered = `${options.host} answered ${status}${STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : ''}`
  const quoted = excerpt === '' ? '' : `: "${excerpt}"`
  if (status === 410) {
    return new NotifierError(
      `${answered}: the endpoint is gone, so this notifier is disabled and gets no more notifications. ` +
        'Create it again with a working `url` to resume.',
      { notifier: NAME, retryable: false, disable: true },
    )
  }
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), options.now())
    const wait = retryAfterMs === undefined ? '' : ` and asks to wait ${formatDuration(retryAfterMs)}`
    return new NotifierError(`${answered}${wait}${quoted}. A retry can help.`, {
      notifier: NAME,
      retryable: true,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    })
  }
  if (status >= 300 && status < 400) {
    return new NotifierError(
      `${answered}, a redirect, which is not followed: the signed body must reach the address it was ` +
        'signed for. Set `url` to the final address.',
      { notifier: NAME, retryable: false },
    )
  }
  const hint =
    status === 401 || status === 403
      ? 'check the `secret` and `headers` the receiver expects'
      : 'check the endpoint and the notifier options'
  return new NotifierError(`${answered}${quoted}. A retry cannot help: ${hint}.`, {
    notifier: NAME,
    retryable: false,
  })
}

/**
 * `Retry-After` in ms: delay-seconds (`120`, or `1.5` as Discord sends) or an HTTP date, read against the
 * notifier's clock. Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined
  const text = value.trim()
  if (/^\d+(\.\d+)?$/.test(text)) return Math.ceil(Number(text) * 1000)
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`
}

/** The caller's signal aborted the send. */
export function aborted(options: ResolvedOptions, signal: AbortSignal): NotifierError {
  const reason: unknown = signal.reason
  const why = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : ''
  return new NotifierError(
    `Sending to ${options.host} was aborted${why === '' ? '' : `: ${scrub(why, options)}`}.`,
    { notifier: NAME, retryable: true, cause: scrubError(reason, options) },
  )
}

/** `timeoutMs` ran out before the answer. */
export function timedOut(options: ResolvedOptions): NotifierError {
  return new NotifierError(
    `${options.host} did not answer within ${options.timeoutMs} ms (\`timeoutMs\`). A retry can help.`,
    { notifier: NAME, retryable: true },
  )
}

/** The request failed before any answer: refused, reset, DNS... */
export function unreachable(options: ResolvedOptions, error: unknown): NotifierError {
  const cause = (error as { cause?: unknown } | null)?.cause
  const code = (cause as { code?: unknown } | undefined)?.code ?? (error as { code?: unknown } | null)?.code
  const detail =
    typeof code === 'string' ? code : error instanceof Error ? scrub(error.message, options) : String(error)
  return new NotifierError(`Could not reach ${options.host} (${detail}). A retry can help.`, {
    notifier: NAME,
    retryable: true,
    cause: scrubError(error, options),
  })
}

/** Replaces the URL, its path, the secrets and header values with `…`; the error classes redact keys too. */
export function scrub(text: string, options: ResolvedOptions): string {
  let result = text
  for (const sensitive of options.sensitive) result = result.replaceAll(sensitive, '…')
  return result
}

/** A copy of an error (and its cause) whose messages are scrubbed: the original may quote the URL. */
function scrubError(error: unknown, options: ResolvedOptions, depth = 0): unknown {
  if (!(error instanceof Error)) return typeof error === 'string' ? scrub(error, options) : undefined
  const inner =
    depth < 3 && error.cause !== undefined ? scrubError(error.cause, options, depth + 1) : undefined
  const copy = new Error(scrub(error.message, options), inner === undefined ? {} : { cause: inner })
  copy.name = error.name
  copy.stack = scrub(error.stack ?? '', options)
  const { code } = error as { code?: unknown }
  if (code !== undefined) Object.assign(copy, { code })
  return copy
}
