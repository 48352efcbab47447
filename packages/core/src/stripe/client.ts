import type Stripe from 'stripe'
import { CashNotifyError } from '../shared/errors.js'
import type { StripeConnectionOptions } from './connection.js'
import type { StripeCredential } from './credential.js'
import { fromStripeError } from './errors.js'
import type { ReadKind, ReadLedger } from './read-ledger.js'
import type { RequestBudget } from './request-budget.js'
import { type RetryOptions, withRetry } from './retry.js'
import { StripeTransport } from './transport.js'

/**
 * A request budget shared with other processes (clustered mode): each send waits for it as well as for
 * the account's own request budget, so that the processes together stay within Stripe's limits.
 */
export interface SharedBudget {
  /**
   * Waits until one send to `endpoint` fits in the shared windows, and records it. A `CashNotifyError` it
   * rejects with (its store unreachable) reaches the caller as it is, not as a failure of Stripe's.
   */
  acquire(endpoint: string, signal?: AbortSignal): Promise<void>
  /** Holds every process's requests of the account for `ms`, e.g. after a 429. */
  pauseFor(ms: number): Promise<void>
}

/** What a request is sent with: the account's key, and stripe-node's other per-request options. */
export type StripeAuth = Stripe.RequestOptions & { readonly apiKey: string }

/**
 * One account's way to Stripe: calls on the instance's shared {@link StripeTransport}, with the account's
 * key, through the account's {@link RequestBudget}, retried when worth it, failing with a
 * {@link CashNotifyError}. Given connection options instead of a transport, it owns one, and
 * {@link StripeGateway.close} closes it.
 */
export class StripeGateway<K extends StripeCredential = StripeCredential> {
  /** The key this gateway authenticates with. */
  readonly key: K
  readonly #transport: StripeTransport
  readonly #ownsTransport: boolean
  readonly #budget: RequestBudget
  #shared: SharedBudget | undefined
  readonly #retry: RetryOptions
  #keyWasValid = false
  /** Where reads are counted once the account is known; until then they are tallied here. */
  #ledger: ReadLedger | undefined
  readonly #tally = new Map<ReadKind, number>()

  constructor(
    key: K,
    budget: RequestBudget,
    transport: StripeTransport | StripeConnectionOptions = {},
    retry: RetryOptions = {},
  ) {
    this.key = key
    this.#budget = budget
    this.#retry = retry
    this.#ownsTransport = !(transport instanceof StripeTransport)
    this.#transport = transport instanceof StripeTransport ? transport : new StripeTransport(transport)
  }

  /**
   * Calls Stripe through the budget. `endpoint` names the call for the budget and for messages,
   * e.g. `GET /v1/events`.
   */
  async call<T>(
    endpoint: string,
    request: (stripe: Stripe, auth: StripeAuth) => Promise<T>,
    options: RetryOptions & { signal?: AbortSignal; kind?: ReadKind } = {},
  ): Promise<T> {
    const { kind = 'enrichment', ...retry } = options
    const result = await withRetry(
      async () => {
        try {
          return await this.#budget.run(
            endpoint,
            async () => {
              await this.#shared?.acquire(endpoint, options.signal)
              // Every GET sent counts against the account's read allocation, failed or retried ones too.
              if (endpoint.startsWith('GET ')) this.#countRead(kind)
              return request(this.#transport.stripe, { apiKey: this.key.reveal() })
            },
            this.#transport,
          )
        } catch (error) {
          // Only the shared budget throws CashNotify's own errors here: it knows best what failed.
          if (error instanceof CashNotifyError) throw error
          throw fromStripeError(error, {
            endpoint,
            keyWasValid: this.#keyWasValid,
            secrets: [this.key.reveal()],
          })
        }
      },
      { ...this.#retry, ...retry, onRetry: (_error, delay) => this.#pause(delay) },
    )
    this.#keyWasValid = true
    return withoutResponse(result)
  }

  /** Counts this gateway's reads in `ledger` from now on, the reads made before it included. */
  attachLedger(ledger: ReadLedger): void {
    this.#ledger = ledger
    for (const [kind, count] of this.#tally) ledger.record(kind, count)
    this.#tally.clear()
  }

  /** Sends wait for `budget` too from now on: the account's budget shared with other processes. */
  shareBudget(budget: SharedBudget): void {
    this.#shared = budget
  }

  #pause(ms: number): void {
    this.#budget.pauseFor(ms)
    // A pause the shared budget failed to record still holds this process's own requests.
    this.#shared?.pauseFor(ms).catch(() => undefined)
  }

  #countRead(kind: ReadKind): void {
    if (this.#ledger) this.#ledger.record(kind)
    else this.#tally.set(kind, (this.#tally.get(kind) ?? 0) + 1)
  }

  /** Marks the key as known-good, so a later 401 is reported as revoked rather than invalid. */
  markKeyValid(): void {
    this.#keyWasValid = true
  }

  /** Closes the transport's sockets when the gateway owns it; a shared one is closed by its owner. */
  close(): void {
    if (this.#ownsTransport) this.#transport.close()
  }
}

/**
 * A result without the HTTP response stripe-node hangs on it (`lastResponse`, not enumerable: the
 * request, its socket and every header): a result kept in a cache would keep all of that alive, about
 * 5 KiB per object. A shallow copy leaves it behind.
 */
function withoutResponse<T>(result: T): T {
  return typeof result === 'object' && result !== null && !Array.isArray(result) ? { ...result } : result
}
