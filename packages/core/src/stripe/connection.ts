/** Where Stripe is: the real API by default, or the simulator or a proxy. */
export interface StripeConnectionOptions {
  /** @default 'api.stripe.com' */
  host?: string
  /** @default 443 */
  port?: number
  /** @default 'https' */
  protocol?: 'http' | 'https'
  /** Timeout of one request in ms. @default 20000 */
  timeout?: number
  /**
   * Requests in flight at once for all accounts together; as many keep-alive sockets are shared by them,
   * so a poll reuses a connection rather than opening one. Each account's budget still holds. @default 64
   */
  maxInFlight?: number
  /**
   * Send requests with this `fetch` instead of Node's HTTP client, e.g. a proxy-aware fetch, or the
   * simulator's in-process handler in tests that run on fake timers.
   */
  fetch?: typeof fetch
}

/** Turns `http://127.0.0.1:12111` into {@link StripeConnectionOptions}. */
export function stripeConnectionFromUrl(url: string): StripeConnectionOptions {
  const parsed = new URL(url)
  const protocol = parsed.protocol === 'http:' ? 'http' : 'https'
  return {
    host: parsed.hostname.replace(/^\[|\]$/g, ''),
    port: parsed.port ? Number(parsed.port) : protocol === 'http' ? 80 : 443,
    protocol,
  }
}
