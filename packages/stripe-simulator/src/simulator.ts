import type Stripe from 'stripe'
import { type CreateAccountInput, currencyOf, DEFAULT_API_VERSION, type SimAccount } from './accounts.js'
import { brandingFile } from './branding.js'
import { type Clock, monotonicClock, systemClock, unixSeconds } from './clock.js'
import { createEvent } from './event-create.js'
import { FaultInjector } from './faults.js'
import { Idempotency } from './idempotency.js'
import { newId } from './ids.js'
import { KeyRing } from './keys.js'
import { ParamReader } from './params.js'
import { handleRequest } from './pipeline.js'
import { Random, randomSeed } from './random.js'
import { RateLimiter, resolveRateLimits } from './rate-limit.js'
import { type ReadAllocation, ReadLedger, resolveReadAllocation } from './read-allocation.js'
import { RequestLog } from './request-log.js'
import { Business, type BusinessOptions } from './scenarios/business.js'
import { type ListenOptions, listen, type SimulatorServer } from './server.js'
import type {
  AddWebhookEndpointInput,
  CreateEventInput,
  CreateKeyInput,
  SimulatorOptions,
} from './simulator-options.js'
import type { AccountState, SimState } from './state.js'
import { ModeData, ObjectStore } from './store.js'
import { type WebhookDeliveries, WebhookDispatcher } from './webhooks/deliveries.js'
import { asTypeError, readCreate } from './webhooks/endpoint-object.js'
import { resolveWebhookOptions } from './webhooks/options.js'
import { type CreatedWebhookEndpoint, registerEndpoint } from './webhooks/register.js'

/**
 * A stateful, local Stripe API for tests, demos and benchmarks: accounts, keys with permissions,
 * events and objects, Stripe's errors, rate limits and injected faults. {@link StripeSimulator.handle}
 * is the whole API as a Fetch handler; {@link StripeSimulator.listen} serves it over HTTP.
 *
 * @example
 * ```ts
 * const sim = new StripeSimulator()
 * const account = sim.createAccount({ businessName: 'Acme' })
 * const key = sim.createKey({ account: account.id, kind: 'restricted', mode: 'test', permissions: ['rak_event_read'] })
 * const server = await sim.listen()
 * const stripe = new Stripe(key, { host: server.host, port: server.port, protocol: 'http' })
 * ```
 */
export class StripeSimulator {
  /** Stripe's "now" for this simulator. */
  readonly clock: Clock
  /** Request counters and log. */
  readonly requests: RequestLog
  /** Fault injection. */
  readonly faults: FaultInjector
  /** Webhook deliveries: counters, log, upcoming retries, and `idle()` to await what is due. */
  readonly webhooks: WebhookDeliveries
  readonly #state: SimState

  constructor(options: SimulatorOptions = {}) {
    const seed = options.seed ?? randomSeed()
    const random = new Random(seed)
    const windowClock = options.rateLimitClock ?? monotonicClock
    this.clock = options.clock ?? systemClock
    this.requests = new RequestLog()
    this.faults = new FaultInjector(new Random(seed ^ 0x9e3779b9)) // its own stream: ids do not shift draws
    const accounts = new Map<string, AccountState>()
    const webhooks = new WebhookDispatcher(
      this.clock,
      new Random(seed ^ 0x27d4eb2f), // its own stream too
      accounts,
      resolveWebhookOptions(options.webhooks),
    )
    this.webhooks = webhooks
    this.#state = {
      clock: this.clock,
      windowClock,
      random,
      scenarioRandom: new Random(seed ^ 0x5bd1e995),
      keys: new KeyRing(random),
      accounts,
      files: new Map(),
      links: new Map(),
      rateLimiter: new RateLimiter(resolveRateLimits(options.rateLimits), windowClock),
      faults: this.faults,
      requests: this.requests,
      idempotency: new Idempotency(),
      reads: new ReadLedger(
        resolveReadAllocation(options.readAllocation),
        options.enforceReadAllocation ?? false,
        this.clock,
      ),
      webhooks,
    }
  }

  /** Creates an account (both modes). Icon and logo become `file_...` objects served by the API. */
  createAccount(input: CreateAccountInput = {}): SimAccount {
    const { accounts, random } = this.#state
    const id = input.id ?? newId(random, 'acct')
    if (!/^acct_[A-Za-z0-9]+$/.test(id)) {
      throw new TypeError(`[stripe-simulator] Expected an account id like 'acct_1AbC...', got '${id}'.`)
    }
    if (accounts.has(id)) throw new Error(`[stripe-simulator] Account ${id} already exists.`)
    const country = input.country ?? 'US'
    const currency = input.defaultCurrency ?? currencyOf(country)
    const test = new ModeData(id, false, currency)
    const live = new ModeData(id, true, currency)
    const info: SimAccount = {
      id,
      businessName: input.businessName ?? null,
      displayName: input.displayName ?? null,
      country,
      defaultCurrency: currency,
      email: input.email ?? null,
      icon: brandingFile(this.#state, [test, live], 'business_icon', input.icon),
      logo: brandingFile(this.#state, [test, live], 'business_logo', input.logo),
      apiVersion: input.apiVersion ?? DEFAULT_API_VERSION,
      created: unixSeconds(this.clock),
    }
    accounts.set(id, { info, test, live })
    return { ...info }
  }

  /** Issues a key: `sk_`/`rk_`/`pk_` + `test_`/`live_` + 99 characters. */
  createKey(input: CreateKeyInput): string {
    this.#account(input.account)
    return this.#state.keys.create(input.account, input.kind, input.mode, input.permissions)
  }

  /** Deletes (rolls) a key: afterwards it is answered 401 "Invalid API Key provided". */
  revokeKey(key: string): void {
    this.#state.keys.get(key).state = 'revoked'
  }

  /** Expires a key: afterwards it is answered 401 `api_key_expired`. */
  expireKey(key: string): void {
    this.#state.keys.get(key).state = 'expired'
  }

  /** Replaces a restricted key's permissions; takes effect on the next request. */
  setPermissions(key: string, permissions: readonly string[]): void {
    this.#state.keys.setPermissions(key, permissions)
  }

  /** The objects of an account in one mode, for scenario helpers and tests to add to. */
  store(account: string, livemode: boolean): ObjectStore {
    const state = this.#account(account)
    return new ObjectStore(livemode ? state.live : state.test, this.clock)
  }

  /**
   * Scenario helpers for one account and mode: customers, products, sales, subscriptions, refunds,
   * disputes and payouts, with the objects stored and the events Stripe sends, at an API version.
   */
  business(account: string, options: BusinessOptions = {}): Business {
    const state = this.#account(account)
    const livemode = options.livemode ?? false
    return new Business(
      {
        account: { ...state.info },
        data: livemode ? state.live : state.test,
        livemode,
        random: this.#state.scenarioRandom,
        clock: this.clock,
        createEvent: (input) => this.createEvent(input),
      },
      options,
    )
  }

  /**
   * Records an event, at its `created` position in the account's event list for that mode. Throws for
   * an event Stripe would never send (see {@link CreateEventInput}).
   */
  createEvent(input: CreateEventInput): Stripe.Event {
    return createEvent(this.#state, this.#account(input.account), input)
  }

  /**
   * Registers a webhook endpoint, as `POST /v1/webhook_endpoints` does (same checks, thrown as a
   * `TypeError`): every later event of the account and mode whose type it enables is POSTed to `url`,
   * signed with the returned `secret`, retried with backoff on the simulator clock until a 2xx.
   */
  addWebhookEndpoint(input: AddWebhookEndpointInput): CreatedWebhookEndpoint {
    const account = this.#account(input.account)
    const livemode = input.livemode ?? false
    const data = livemode ? account.live : account.test
    return asTypeError(() => {
      const params = new ParamReader({
        url: input.url,
        enabled_events: [...(input.enabledEvents ?? ['*'])],
        ...(input.apiVersion === undefined ? {} : { api_version: input.apiVersion }),
        ...(input.description === undefined ? {} : { description: input.description }),
        ...(input.metadata === undefined ? {} : { metadata: { ...input.metadata } }),
      })
      return registerEndpoint(
        this.#state,
        data,
        readCreate(params),
        unixSeconds(this.clock),
        input.deliveryFaults,
      )
    })
  }

  /**
   * Where an account stands against Stripe's read allocation over the last 30 days of the simulator
   * clock: its reads (GET requests, both modes), its transactions (live charges that succeeded), the
   * allocation they give, and what is left.
   */
  readAllocation(account: string): ReadAllocation {
    return this.#state.reads.status(this.#account(account))
  }

  /** The whole API as a Fetch handler: what both the HTTP server and the msw handlers call. */
  handle(request: Request): Promise<Response> {
    return handleRequest(this.#state, request)
  }

  /** Serves the API over HTTP on 127.0.0.1 (a free port unless `port` is given). */
  listen(options: ListenOptions = {}): Promise<SimulatorServer> {
    return listen((request) => this.handle(request), options)
  }

  #account(id: string): AccountState {
    const state = this.#state.accounts.get(id)
    if (state === undefined)
      throw new Error(`[stripe-simulator] Unknown account '${id}'. Create it with createAccount().`)
    return state
  }
}
