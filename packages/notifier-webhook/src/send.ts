import { aborted, headerError, scrub, statusError, timedOut, unreachable } from './errors.js'
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
    throw headerError(options, error)
  }

  // One signal for the caller's abort and the timeout (AbortSignal.any and .timeout make two more per send).
  const combined = new AbortController()
  let timedOutNow = false
  const timer = setTimeout(() => {
    timedOutNow = true
    combined.abort(timedOut(options))
  }, options.timeoutMs)
  const onAbort = (): void => combined.abort(signal.reason)
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    let response: Response
    try {
      response = await options.fetch(options.url.href, {
        method: 'POST',
        headers,
        body,
        signal: combined.signal,
        // A redirect would send the signed body to an address it was not meant for: report it instead.
        redirect: 'manual',
      })
    } catch (error) {
      if (signal.aborted) throw aborted(options, signal)
      if (timedOutNow) throw timedOut(options)
      throw unreachable(options, error)
    }
    if (response.status >= 200 && response.status < 300) return await discardBody(response)
    const excerpt = await readExcerpt(response, options)
    throw statusError(options, response, excerpt)
  } finally {
    clearTimeout(timer)
    signal.removeEventListener('abort', onAbort)
  }
}

/**
 * Reads a success's body to its end: receivers answer a few bytes, and cancelling a body aborts its fetch,
 * which costs more than reading them. One longer than {@link MAX_BODY_BYTES} is cancelled there.
 */
async function discardBody(response: Response): Promise<void> {
  const reader = response.body?.getReader()
  if (reader === undefined) return
  try {
    for (let size = 0; size <= MAX_BODY_BYTES; ) {
      const { done, value } = await reader.read()
      if (done) return
      size += value.byteLength
    }
    await reader.cancel()
  } catch {
    // The endpoint took the notification (2xx): a body cut short after that changes nothing.
  }
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

function hasHeader(headers: Readonly<Record<string, string>>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name)
}
