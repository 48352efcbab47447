import Stripe from 'stripe'

/**
 * The baseline a first attempt would write: stripe-node's own pagination from an event-id cursor
 * (`ending_before`, default page size), no request budget, a 429 retried at once.
 */
export class NaivePoller {
  readonly #stripe: Stripe
  #cursor: string | undefined
  rateLimited = 0
  requests = 0

  /** Reaches Stripe at `url` over HTTP, or through `fetch` (an in-process simulator on fake time). */
  constructor(key: string, url: string | { readonly fetch: typeof globalThis.fetch }) {
    if (typeof url === 'string') {
      const { hostname, port } = new URL(url)
      this.#stripe = new Stripe(key, {
        host: hostname,
        port: Number(port),
        protocol: 'http',
        maxNetworkRetries: 0,
      })
    } else {
      this.#stripe = new Stripe(key, {
        httpClient: Stripe.createFetchHttpClient(url.fetch),
        maxNetworkRetries: 0,
      })
    }
  }

  /** The key check a first attempt makes: reads the account the key belongs to. */
  async account(): Promise<Stripe.Account> {
    this.requests++
    return this.#stripe.accounts.retrieveCurrent()
  }

  /**
   * The naive enricher, per payment: a `charge.succeeded` is a sale once its fee (balance transaction) and
   * its customer are read, one after the other; other events are no sale.
   */
  async sale(event: Stripe.Event): Promise<Stripe.Charge | undefined> {
    if (event.type !== 'charge.succeeded') return undefined
    const charge = event.data.object
    if (typeof charge.balance_transaction === 'string') {
      this.requests++
      await this.#stripe.balanceTransactions.retrieve(charge.balance_transaction)
    }
    if (typeof charge.customer === 'string') {
      this.requests++
      await this.#stripe.customers.retrieve(charge.customer)
    }
    return charge
  }

  /** Reads the newest `count` events and remembers the newest as the cursor. */
  async backfill(count: number): Promise<Stripe.Event[]> {
    const events: Stripe.Event[] = []
    for (
      let page = await this.#list({});
      ;
      page = await this.#list({ starting_after: page.data.at(-1)?.id ?? '' })
    ) {
      events.push(...page.data)
      if (!page.has_more || events.length >= count) break
    }
    this.#cursor = events[0]?.id
    return events.slice(0, count).reverse()
  }

  /** Everything newer than the cursor, oldest first. */
  async poll(): Promise<Stripe.Event[]> {
    const events: Stripe.Event[] = []
    let before = this.#cursor
    for (;;) {
      const page = await this.#list(before ? { ending_before: before } : {})
      events.push(...[...page.data].reverse())
      if (!page.has_more || page.data.length === 0) break
      before = page.data[0]?.id
    }
    if (events.length > 0) this.#cursor = events.at(-1)?.id
    return events
  }

  async #list(params: Stripe.EventListParams): Promise<Stripe.ApiList<Stripe.Event>> {
    for (;;) {
      this.requests++
      try {
        return await this.#stripe.events.list(params)
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 429) throw error
        this.rateLimited++
      }
    }
  }
}
