import type Stripe from 'stripe'
import { type CreateAccountInput, currencyOf, DEFAULT_API_VERSION, type SimAccount } from './accounts.js'
import { type Clock, monotonicClock, systemClock, unixSeconds } from './clock.js'
import { checkEvent } from './event-check.js'
import { FaultInjector } from './faults.js'
import { fileFixture } from './fixtures/file.js'
import { Idempotency } from './idempotency.js'
import { type KeyKind, type KeyMode, newId } from './ids.js'
import { KeyRing } from './keys.js'
import { handleRequest } from './pipeline.js'
import { samplePng, sniffImage } from './png.js'
import { Random, randomSeed } from './random.js'
import { RateLimiter, type RateLimits, resolveRateLimits } from './rate-limit.js'
import { RequestLog } from './request-log.js'
import { Business, type BusinessOptions } from './scenarios/business.js'
import { type ListenOptions, listen, type SimulatorServer } from './server.js'
import type { AccountState, SimState } from './state.js'
import { ModeData, ObjectStore } from './store.js'

/** Options of {@link StripeSimulator}. */
export interface SimulatorOptions {
  /** Stripe's "now": `created` defaults, 30-day event retention, link expiry. @default the wall clock */
  clock?: Clock
  /** Limits per rolling second, or `false` for none. @default DEFAULT_RATE_LIMITS */
  rateLimits?: Partial<RateLimits> | false
  /** Clock of rate-limit windows and request timestamps. @default real monotonic time */
  rateLimitClock?: Clock
  /** Seed of ids, keys and fault probabilities, for runs that repeat exactly. @default random */
  seed?: number
}

/** Options of {@link StripeSimulator.createKey}. */
export interface CreateKeyInput {
  /** Account id the key belongs to. */
  account: string
  kind: KeyKind
  mode: KeyMode
  /** Restricted keys only, e.g. `['rak_event_read', 'rak_file_write']`. @default [] */
  permissions?: readonly string[]
}

/** Options of {@link StripeSimulator.createEvent}. */
export interface CreateEventInput {
  account: string
  livemode: boolean
  /**
   * Any Stripe event type. One Stripe does not list is accepted if named like Stripe's
   * (`widget.created` carrying a `widget`); one that does not exist at `apiVersion` is refused.
   */
  type: Stripe.Event.Type | (string & {})
  /**
   * `data.object`, as rendered at `apiVersion`: an object of the kind the type names (`charge` for
   * `charge.succeeded`, `dispute` for `charge.dispute.created`) with an `id`, and, if it says
   * `livemode`, the event's. Anything else throws, as Stripe never sends such an event.
   */
  object: object
  /** Unix seconds; may lie in the past (the event is placed at its time). @default the simulator clock */
  created?: number
  /** @default the account's API version */
  apiVersion?: string
  /** `evt_` and letters or digits. @default `evt_` + 24 random characters */
  id?: string
  /** `data.previous_attributes` of `*.updated` events. */
  previousAttributes?: object
}

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
  readonly #state: SimState

  constructor(options: SimulatorOptions = {}) {
    const seed = options.seed ?? randomSeed()
    const random = new Random(seed)
    const windowClock = options.rateLimitClock ?? monotonicClock
    this.clock = options.clock ?? systemClock
    this.requests = new RequestLog()
    this.faults = new FaultInjector(new Random(seed ^ 0x9e3779b9)) // its own stream: ids do not shift draws
    this.#state = {
      clock: this.clock,
      windowClock,
      random,
      scenarioRandom: new Random(seed ^ 0x5bd1e995),
      keys: new KeyRing(random),
      accounts: new Map(),
      files: new Map(),
      links: new Map(),
      rateLimiter: new RateLimiter(resolveRateLimits(options.rateLimits), windowClock),
      faults: this.faults,
      requests: this.requests,
      idempotency: new Idempotency(),
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
      icon: this.#brandingFile([test, live], 'business_icon', input.icon),
      logo: this.#brandingFile([test, live], 'business_logo', input.logo),
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
    const account = this.#account(input.account)
    const created = input.created ?? unixSeconds(this.clock)
    const event = {
      id: input.id ?? newId(this.#state.random, 'evt'),
      object: 'event',
      api_version: input.apiVersion ?? account.info.apiVersion,
      created,
      data: {
        object: structuredClone(input.object),
        ...(input.previousAttributes === undefined
          ? {}
          : { previous_attributes: structuredClone(input.previousAttributes) }),
      },
      livemode: input.livemode,
      pending_webhooks: 0,
      request: { id: null, idempotency_key: null },
      type: input.type,
    }
    checkEvent(event, input.livemode)
    ;(input.livemode ? account.live : account.test).collection('event').insert(event, created)
    return structuredClone(event) as unknown as Stripe.Event
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

  /** Stores a branding image as a file of both modes; returns its id (or null without an image). */
  #brandingFile(
    modes: readonly ModeData[],
    purpose: 'business_icon' | 'business_logo',
    image: Uint8Array | true | null | undefined,
  ): string | null {
    if (image === undefined || image === null) return null
    const bytes = image === true ? samplePng() : image.slice()
    const kind = sniffImage(bytes)
    if (kind === undefined) {
      throw new TypeError(`[stripe-simulator] Expected the ${purpose} image as PNG, JPEG or GIF bytes.`)
    }
    const id = newId(this.#state.random, 'file')
    const created = unixSeconds(this.clock)
    for (const data of modes) {
      const file = {
        ...structuredClone(fileFixture),
        id,
        created,
        expires_at: null,
        filename: `${purpose}.${kind.type}`,
        purpose,
        size: bytes.byteLength,
        title: null,
        type: kind.type,
        url: null,
        links: { object: 'list' as const, data: [], has_more: false, url: `/v1/file_links?file=${id}` },
      }
      data.collection('file').insert(file, created)
    }
    this.#state.files.set(id, { bytes, mime: kind.mime })
    return id
  }
}
