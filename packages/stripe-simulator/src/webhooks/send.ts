import { signatureHeader } from './signature.js'

/** What one attempt sends. */
export interface Post {
  readonly url: string
  /** The event's JSON, exactly as signed. */
  readonly body: string
  readonly secret: string
  /** Test mode: the secret of the fake `v0` signature. */
  readonly fakeV0Secret: string | undefined
  /** `t` of the signature: Unix seconds of the simulator clock. */
  readonly timestamp: number
}

/** How an attempt ended: a status (2xx is success), or a failure before any status arrived. */
export type PostOutcome =
  | { readonly status: number; readonly error?: undefined }
  | { readonly status: 0; readonly error: 'timeout' | 'network' }

/**
 * POSTs one delivery the way Stripe does: a JSON body, its signature, Stripe's user agent. Redirects are
 * not followed (Stripe counts a 3xx as a failure); the answer's body is read and dropped.
 */
export async function post(request: Post, fetchImpl: typeof fetch, timeoutMs: number): Promise<PostOutcome> {
  try {
    const response = await fetchImpl(request.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        'Content-Type': 'application/json; charset=utf-8',
        'User-Agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)',
        Accept: '*/*; q=0.5, application/xml',
        'Cache-Control': 'no-cache',
        'Stripe-Signature': signatureHeader(
          request.body,
          request.secret,
          request.timestamp,
          request.fakeV0Secret,
        ),
      },
      body: request.body,
    })
    await response.arrayBuffer()
    return { status: response.status }
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')
    return { status: 0, error: timedOut ? 'timeout' : 'network' }
  }
}
