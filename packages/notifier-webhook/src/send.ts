import { STATUS_CODES } from 'node:http'
import { NotifierError } from '@cashnotify/core/notifier'
import { NAME } from './options.js'
import type { ResolvedOptions } from './resolve-options.js'
import { signatureHeaders } from './sign.js'

/** What the notifier sends when the caller's `headers` do not name a user agent. */
const USER_AGENT = 'CashNotify-Webhook (+https://github.com/cashnotify/cashnotify)'
/** How much of an error response is read to quote from it. */
const MAX_BODY_BYTES = 4096
/** How much of it the message quotes. */
const MAX_EXCERPT = 200

/**
 * POSTs a body to the endpoint, signed when there are keys, and resolves when it answers 2xx.
 *
 * @throws {@link NotifierError} that tells delivery what to do: retryable for network errors, timeouts,
 * 408, 429 and 5xx (with `retryAfterMs` from `Retry-After`), `disable` for 410, not retryable otherwise.
 * Messages name the host only, never the URL, a secret or a header value.
 */
export async function post(
  options: ResolvedOptions,
  id: string,
  body: string,
  signal: AbortSignal,
): Promise<void> {
  if (signal.aborted) throw aborted(options, signal)
  let headers: Headers
  try {
    headers = new Headers({
      ...(hasHeader(options.headers, 'user-agent') ? {} : { 'user-agent': USER_AGENT }),
      ...options.headers,
      'content-type': 'application/json',
      ...signatureHeaders(options.keys, id, Math.floor(options.now() / 1000), body),
    })
  } catch (error) {
    throw new NotifierError(
      `The notification id cannot be sent as an HTTP header (it must be visible ASCII). A retry cannot help.`,
      { notifier: NAME, retryable: false, cause: scrubError(error, options) },
    )
  }

  const timeout = AbortSignal.timeout(options.timeoutMs)
  const combined = AbortSignal.any([signal, timeout])
  let response: Response
  try {
    response = await options.fetch(options.url.href, {
      method: 'POST',
      headers,
      body,
      signal: combined,
      // A redirect would send the signed body to an address it was not meant for: report it instead.
      redirect: 'manual',
    })
  } catch (error) {
    if (signal.aborted) throw aborted(options, signal)
    if (timeout.aborted) throw timedOut(options)
    throw unreachable(options, error)
  }

  if (response.status >= 200 && response.status < 300) {
    await response.body?.cancel().catch(() => undefined)
    return
  }
  const excerpt = await readExcerpt(response, options)
  throw statusError(options, response, excerpt)
}

function statusError(options: ResolvedOptions, response: Response, excerpt: string): NotifierError {
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

function aborted(options: ResolvedOptions, signal: AbortSignal): NotifierError {
  const reason: unknown = signal.reason
  const why = reason instanceof Error ? reason.message : typeof reason === 'string' ? reason : ''
  return new NotifierError(
    `Sending to ${options.host} was aborted${why === '' ? '' : `: ${scrub(why, options)}`}.`,
    { notifier: NAME, retryable: true, cause: scrubError(reason, options) },
  )
}

function timedOut(options: ResolvedOptions): NotifierError {
  return new NotifierError(
    `${options.host} did not answer within ${options.timeoutMs} ms (\`timeoutMs\`). A retry can help.`,
    { notifier: NAME, retryable: true },
  )
}

function unreachable(options: ResolvedOptions, error: unknown): NotifierError {
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

/** The start of an error response's body on one line, scrubbed; empty when it cannot be read. */
async function readExcerpt(response: Response, options: ResolvedOptions): Promise<string> {
  const reader = response.body?.getReader()
  if (reader === undefined) return ''
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    while (size < MAX_BODY_BYTES) {
      const { done, value } = await reader.read()
      if (done) break
      chunks.push(value)
      size += value.byteLength
    }
  } catch {
    // A body that breaks off or stalls until the signal aborts: quote what came.
  } finally {
    await reader.cancel().catch(() => undefined)
  }
  const text = new TextDecoder()
    .decode(Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES))
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
    .replace(/[\u0000-\u001f\u007f\s]+/g, ' ')
    .trim()
  const scrubbed = scrub(text, options)
  return scrubbed.length > MAX_EXCERPT ? `${scrubbed.slice(0, MAX_EXCERPT - 1)}…` : scrubbed
}

/** Replaces the URL, its path, the secrets and header values with `…`; the error classes redact keys too. */
function scrub(text: string, options: ResolvedOptions): string {
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

function hasHeader(headers: Readonly<Record<string, string>>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name)
}
