import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import Stripe from 'stripe'
import { DEFAULTS } from '../shared/defaults.js'
import { Semaphore } from '../shared/semaphore.js'
import type { StripeConnectionOptions } from './connection.js'

const APP_INFO = { name: 'CashNotify', url: 'https://github.com/cashnotify/cashnotify' }

/** A request that names no key fails before it is sent, rather than going out unauthenticated. */
async function noKey(): Promise<void> {
  throw new Error('CashNotify sends every Stripe request with the key of its account.')
}

/**
 * The way to Stripe that all accounts share: one stripe-node client and one keep-alive agent, with the
 * key given per request, and a cap on requests in flight for all of them together. A client per account
 * costs memory for each, and its own agent would open a new connection for every poll that comes after
 * the server closed the idle one.
 */
export class StripeTransport {
  /** The shared client. Every call passes its account's key in its request options. */
  readonly stripe: Stripe
  readonly #agent: HttpAgent
  readonly #inFlight: Semaphore

  constructor(connection: StripeConnectionOptions = {}) {
    const maxInFlight = connection.maxInFlight ?? DEFAULTS.stripe.maxInFlight
    const agentOptions = { keepAlive: true, maxSockets: maxInFlight, maxFreeSockets: maxInFlight }
    this.#agent = connection.protocol === 'http' ? new HttpAgent(agentOptions) : new HttpsAgent(agentOptions)
    this.#inFlight = new Semaphore(maxInFlight)
    const transport = connection.fetch
      ? { httpClient: Stripe.createFetchHttpClient(connection.fetch) }
      : { httpAgent: this.#agent }
    this.stripe = new Stripe(undefined as unknown as string, {
      ...(connection.host === undefined ? {} : { host: connection.host }),
      ...(connection.port === undefined ? {} : { port: connection.port }),
      ...(connection.protocol === undefined ? {} : { protocol: connection.protocol }),
      timeout: connection.timeout ?? DEFAULTS.stripe.timeout,
      // Retries are ours: stripe-node would retry outside the budget and never retries a plain 429.
      maxNetworkRetries: 0,
      telemetry: false,
      appInfo: APP_INFO,
      authenticator: noKey,
      ...transport,
    })
  }

  /**
   * Resolves with the function that ends the request, once fewer than `maxInFlight` are in flight. A
   * budget takes its slot here only when its own window has room, so a paused account holds no slot.
   */
  slot(): Promise<() => void> {
    return this.#inFlight.acquire()
  }

  /** Closes the idle keep-alive sockets. */
  close(): void {
    this.#agent.destroy()
  }
}
