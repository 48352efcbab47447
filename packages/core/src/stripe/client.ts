import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import Stripe from 'stripe'
import { DEFAULTS } from '../shared/defaults.js'
import type { StripeConnectionOptions } from './connection.js'
import type { StripeCredential } from './credential.js'
import { fromStripeError } from './errors.js'
import type { ReadKind, ReadLedger } from './read-ledger.js'
import type { RequestBudget } from './request-budget.js'
import { type RetryOptions, withRetry } from './retry.js'

const APP_INFO = { name: 'CashNotify', url: 'https://github.com/cashnotify/cashnotify' }

/**
 * One account's way to Stripe: a stripe-node client whose every call goes through the account's
 * {@link RequestBudget}, is retried when worth it, and fails with a {@link CashNotifyError}.
 * It owns its HTTP agent, so {@link StripeGateway.close} leaves no socket open.
 */
export class StripeGateway<K extends StripeCredential = StripeCredential> {
  /** The key this gateway authenticates with. */
  readonly key: K
  readonly #stripe: Stripe
  readonly #budget: RequestBudget
  readonly #agent: HttpAgent
  readonly #retry: RetryOptions
  #keyWasValid = false
  /** Where reads are counted once the account is known; until then they are tallied here. */
  #ledger: ReadLedger | undefined
  readonly #tally = new Map<ReadKind, number>()

  constructor(
    key: K,
    budget: RequestBudget,
    connection: StripeConnectionOptions = {},
    retry: RetryOptions = {},
  ) {
    this.key = key
    this.#budget = budget
    this.#retry = retry
    this.#agent =
      connection.protocol === 'http'
        ? new HttpAgent({ keepAlive: true })
        : new HttpsAgent({ keepAlive: true })
    const transport = connection.fetch
      ? { httpClient: Stripe.createFetchHttpClient(connection.fetch) }
      : { httpAgent: this.#agent }
    this.#stripe = new Stripe(key.reveal(), {
      ...(connection.host === undefined ? {} : { host: connection.host }),
      ...(connection.port === undefined ? {} : { port: connection.port }),
      ...(connection.protocol === undefined ? {} : { protocol: connection.protocol }),
      timeout: connection.timeout ?? DEFAULTS.stripeTimeout,
      // Retries are ours: stripe-node would retry outside the budget and never retries a plain 429.
      maxNetworkRetries: 0,
      telemetry: false,
      appInfo: APP_INFO,
      ...transport,
    })
  }

  /**
   * Calls Stripe through the budget. `endpoint` names the call for the budget and for messages,
   * e.g. `GET /v1/events`.
   */
  async call<T>(
    endpoint: string,
    request: (stripe: Stripe) => Promise<T>,
    options: RetryOptions & { signal?: AbortSignal; kind?: ReadKind } = {},
  ): Promise<T> {
    const { kind = 'enrichment', ...retry } = options
    const result = await withRetry(
      async () => {
        try {
          return await this.#budget.run(endpoint, () => {
            // Every GET sent counts against the account's read allocation, failed or retried ones too.
            if (endpoint.startsWith('GET ')) this.#countRead(kind)
            return request(this.#stripe)
          })
        } catch (error) {
          throw fromStripeError(error, {
            endpoint,
            keyWasValid: this.#keyWasValid,
            secrets: [this.key.reveal()],
          })
        }
      },
      { ...this.#retry, ...retry, onRetry: (_error, delay) => this.#budget.pauseFor(delay) },
    )
    this.#keyWasValid = true
    return result
  }

  /** Counts this gateway's reads in `ledger` from now on, the reads made before it included. */
  attachLedger(ledger: ReadLedger): void {
    this.#ledger = ledger
    for (const [kind, count] of this.#tally) ledger.record(kind, count)
    this.#tally.clear()
  }

  #countRead(kind: ReadKind): void {
    if (this.#ledger) this.#ledger.record(kind)
    else this.#tally.set(kind, (this.#tally.get(kind) ?? 0) + 1)
  }

  /** Marks the key as known-good, so a later 401 is reported as revoked rather than invalid. */
  markKeyValid(): void {
    this.#keyWasValid = true
  }

  /** Closes the idle keep-alive sockets. */
  close(): void {
    this.#agent.destroy()
  }
}
