import { http, type RequestHandler } from 'msw'
import type { StripeSimulator } from './simulator.js'

/** Options of {@link stripeHandlers}. */
export interface StripeHandlersOptions {
  /** The Stripe API origin to intercept. @default 'https://api.stripe.com' */
  baseUrl?: string
}

/**
 * msw request handlers that answer Stripe API calls (and the simulator's public file links) from
 * the simulator, in-process. Same behaviour as the HTTP server: both call `sim.handle`.
 *
 * @example
 * ```ts
 * const server = setupServer(...stripeHandlers(sim))
 * server.listen({ onUnhandledRequest: 'error' })
 * ```
 */
export function stripeHandlers(sim: StripeSimulator, options: StripeHandlersOptions = {}): RequestHandler[] {
  const base = (options.baseUrl ?? 'https://api.stripe.com').replace(/\/+$/, '')
  const resolver = ({ request }: { request: Request }): Promise<Response> => sim.handle(request)
  return [http.all(`${base}/v1/*`, resolver), http.get(`${base}/links/*`, resolver)]
}
