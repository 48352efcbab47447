import type { Account, AccountStatus } from '../accounts/account.js'
import { type ApiKey, parseKey } from '../accounts/keys.js'
import { customLogo } from '../accounts/logo.js'
import type { DeadLetter, DeliveryService } from '../delivery/index.js'
import type { Notifier } from '../delivery/notifier.js'
import type { Digest } from '../digest/types.js'
import type { ReadUsage } from '../polling/pacing.js'
import type { HeldNotifications, NotifierUseOptions, RulesEngine } from '../rules/index.js'
import type { SafeEmitter } from '../shared/emitter.js'
import { AccountError, type CashNotifyError } from '../shared/errors.js'
import { consoleLogger, type Logger, redactingLogger } from '../shared/logger.js'
import type { KeyValueStore } from '../shared/store.js'
import { WebhookSecrets } from '../stripe/webhook-secrets.js'
import { clusterPolling, instanceStore, retireAccount } from './cluster-polling.js'
import { createDigests, type DigestQuery, type InstanceDigests } from './digests.js'
import type { CashNotifyEvents, Listener } from './events.js'
import { startSpread } from './first-polls.js'
import { instanceEmitter } from './instance-emitter.js'
import { assertNotWatched, openWatchedAccount, refreshSnapshot } from './open-watched.js'
import type { AddAccountInput, CashNotifyOptions, RemoveAccountOptions } from './options.js'
import { parseAddAccountInput, parseCashNotifyOptions, type ResolvedOptions } from './options-schema.js'
import type { PipelineSettings } from './pipeline-settings.js'
import type { PipelineHooks, WatchedAccount } from './watched-account.js'
import { type WebhookHandler, webhookHandler } from './webhook-http.js'
import { WebhookIntake } from './webhook-intake.js'
import { createDelivery, createRules, pipelineSettings, useNotifier } from './wiring.js'

/**
 * Watches Stripe accounts and emits typed events. Every instance is independent: two instances in one
 * process share no state, budget or socket.
 *
 * @example
 * ```ts
 * const cn = new CashNotify({ pollInterval: 5_000 })
 * cn.on('stripe.event', (event, { account }) => console.log(account.name, event.type))
 * await cn.addAccount({ apiKey: process.env.STRIPE_KEY ?? '' })
 * await cn.start()
 * ```
 */
export class CashNotify {
  /** The options, as given (validated). */
  readonly options: Readonly<CashNotifyOptions>
  readonly #settings: ResolvedOptions
  /** The state store (a Keyv instance). */
  readonly store: KeyValueStore
  readonly #logger: Logger
  readonly #emitter: SafeEmitter<CashNotifyEvents>
  readonly #pipeline: PipelineSettings
  readonly #hooks: PipelineHooks
  readonly #delivery: DeliveryService
  readonly #rules: RulesEngine
  readonly #digests: InstanceDigests
  readonly #accounts = new Map<string, WatchedAccount>()
  readonly #intake: WebhookIntake
  readonly #cluster: ReturnType<typeof clusterPolling>
  readonly #webhookHandler: WebhookHandler
  /** Keys whose `addAccount` is still running, so two concurrent adds of one key cannot both win. */
  readonly #adding: ApiKey[] = []
  #running = false

  /** @throws {@link ConfigError} naming the invalid option. */
  constructor(options?: CashNotifyOptions) {
    this.#settings = parseCashNotifyOptions(options)
    this.options = Object.freeze({ ...options })
    const { logger, cluster } = this.#settings
    this.store = instanceStore(this.#settings)
    this.#logger = redactingLogger(logger ?? consoleLogger)
    this.#emitter = instanceEmitter((error, fromErrorListener) => this.#reportError(error, fromErrorListener))
    this.#pipeline = pipelineSettings(this.#settings, this.store)
    this.#intake = new WebhookIntake(() => this.#accounts.values(), {
      tolerance: this.#settings.webhooks.tolerance,
      now: this.#settings.now,
      logger: this.#logger,
    })
    this.#webhookHandler = webhookHandler(this.#intake, this.#settings.webhooks.maxBodyBytes)
    this.#hooks = {
      emit: (event, ...args) => this.#emitter.emit(event, ...args),
      deliver: (event) => this.#rules.accept(event),
      record: (ref, events) => this.#digests.record(ref, events),
      status: (ref, status, reason, error) => this.#setStatus(ref, status, reason, error),
      error: (error) => this.#reportError(error),
      logger: this.#logger,
    }
    this.#delivery = createDelivery(this.#settings, this.store, this.#hooks)
    this.#rules = createRules(this.#settings, this.store, this.#delivery, this.#hooks)
    this.#digests = createDigests(this.#settings, this.store, this.#delivery, this.#hooks, this)
    this.#cluster = clusterPolling(cluster, this.#accounts, this.#pipeline, this.#hooks, () => this.#running)
  }

  /** Listens to an event; the listener's arguments are typed by {@link CashNotifyEvents}. */
  on<K extends keyof CashNotifyEvents>(event: K, listener: Listener<K>): this {
    this.#emitter.on(event, listener)
    return this
  }

  /** Listens to the next occurrence of an event only. */
  once<K extends keyof CashNotifyEvents>(event: K, listener: Listener<K>): this {
    this.#emitter.once(event, listener)
    return this
  }

  /** Stops listening. */
  off<K extends keyof CashNotifyEvents>(event: K, listener?: Listener<K>): this {
    this.#emitter.off(event, listener)
    return this
  }

  /**
   * Validates the key, checks its permissions, reads the account's name and logo, and watches it: its
   * loop starts now if the instance is running, else at {@link CashNotify.start}. The first poll of an
   * account never polled before emits its last 50 events with `backfill: true`.
   * A key without `rak_event_read` is refused; a key missing another required permission is accepted as
   * `degraded` (unless `strictPermissions`), and the account says which features are lost.
   *
   * @throws {@link InvalidKeyError} for a malformed, publishable, invalid or expired key.
   * @throws {@link AccountRefusedError} when the key cannot watch the account.
   * @throws {@link AccountError} (`account_duplicate`) for a key or account already watched.
   * @throws {@link StripeUnavailableError} when Stripe cannot be reached.
   * @throws {@link ConfigError} for invalid input or a custom logo that is not png/jpg/gif/ico.
   */
  async addAccount(input: AddAccountInput): Promise<Account> {
    const { apiKey, name, logo, strictPermissions, webhookSecret } = parseAddAccountInput(input)
    const key = parseKey(apiKey)
    const secrets = webhookSecret === undefined ? undefined : WebhookSecrets.parse(webhookSecret)
    this.#intake.assertFree(secrets)
    const overrides = {
      ...(name === undefined ? {} : { name }),
      ...(logo === undefined ? {} : { logo: await customLogo(logo) }),
    }
    assertNotWatched(key, [...this.#adding, ...[...this.#accounts.values()].map((a) => a.key)])
    this.#adding.push(key)
    try {
      const watched = await openWatchedAccount(
        {
          settings: this.#settings,
          pipeline: this.#pipeline,
          hooks: this.#hooks,
          existing: (ref) => this.#accounts.get(ref),
        },
        key,
        { overrides, secrets, strict: strictPermissions ?? this.#settings.strictPermissions },
      )
      const { snapshot } = watched
      this.#accounts.set(snapshot.ref, watched)
      this.#logger.info(`Watching ${snapshot.name} (${snapshot.ref}): ${snapshot.status}.`)
      this.#emitter.emit('account.added', snapshot)
      if (this.#running) watched.poller.start()
      return snapshot
    } finally {
      this.#adding.splice(this.#adding.indexOf(key), 1)
    }
  }

  /**
   * Stops watching an account and deletes what its pipeline kept (its cursor, the ids it emitted, the
   * payment events it held): added again, it is a new account (with a backfill). `{ keepState: true }`
   * keeps it all, to resume where it stopped. Clustered, that state is the cluster's and is kept for the
   * other processes (`deleteSharedState` deletes it). Accepted notifications are delivered either way.
   *
   * @throws {@link AccountError} (`account_not_found`)
   */
  async removeAccount(account: Account | string, options: RemoveAccountOptions = {}): Promise<void> {
    const watched = this.#watched(account)
    this.#accounts.delete(watched.snapshot.ref)
    this.#intake.retire(watched.secrets)
    await watched.poller.stop()
    await retireAccount(watched, options, { cluster: this.#cluster, digests: this.#digests })
    this.#emitter.emit('account.removed', watched.snapshot)
  }

  /**
   * What an account read from Stripe in the last 30 days (CashNotify's own reads, by kind), against its
   * read allocation and the share CashNotify may use, and the interval its polls are paced at now.
   * Stripe's own count also holds the account's other integrations, and its count of transactions may
   * differ from the payments CashNotify saw (see the polling guide).
   *
   * @throws {@link AccountError} (`account_not_found`)
   */
  readUsage(account: Account | string): ReadUsage {
    return this.#watched(account).pacer.usage()
  }

  /**
   * The handler of Stripe's webhook deliveries, for every account added with a `webhookSecret`: a Node
   * request listener (`node`) and a Fetch API handler (`fetch`). It checks the `Stripe-Signature` with
   * stripe-node (within `webhooks.tolerance`), stores the event, answers 200 — before enrichment — and
   * the event joins the account's pipeline: one seen set with polls, so an event is emitted once,
   * whichever way it came. Refused: 400 (no or bad signature, not an event, wrong mode), 404 (no account
   * for it), 405 (not a POST), 413 (larger than `webhooks.maxBodyBytes`); 503 if the store fails.
   */
  webhookHandler(): WebhookHandler {
    return this.#webhookHandler
  }

  /** Every watched account, in the order they were added. */
  accounts(): Account[] {
    return [...this.#accounts.values()].map((watched) => watched.snapshot)
  }

  /** One watched account by its `ref` (`acct_…/live`), if watched. */
  account(ref: string): Account | undefined {
    return this.#accounts.get(ref)?.snapshot
  }

  /**
   * Reads the account's name, logo and permissions from Stripe again (custom name and logo still win).
   * @throws {@link AccountError} (`account_not_found`), or what Stripe's answer maps to.
   */
  refreshMetadata(account: Account | string): Promise<Account> {
    return refreshSnapshot(this.#watched(account))
  }

  /** Starts polling every account, each on its own loop. */
  async start(): Promise<void> {
    this.#running = true
    // The outbox first, then first polls spread evenly over the shortest interval, not all at once.
    await this.#cluster?.start() // clustered: the leases won here are polled
    await this.#rules.start() // delivery first, then what rules hold
    const pollers = [...this.#accounts.values()].map((watched) => watched.poller)
    await startSpread(pollers, this.#settings.pollInterval, () => this.#running)
    await this.#digests.start()
  }

  /** The digests of the period so far (today, or the 7 days to today), built now and sent nowhere. */
  digest(query?: DigestQuery): Promise<Digest[]> {
    return this.#digests.current(query)
  }

  /**
   * Stops every loop, waits for polls in flight, drains notifications being sent (up to `stopTimeout`;
   * the rest stay in the outbox for the next start) and closes every socket. Progress is persisted
   * batch by batch. The instance can be started again; {@link CashNotify.close} also closes notifiers.
   */
  async stop(): Promise<void> {
    this.#running = false
    await this.#digests.stop()
    await Promise.all([...this.#accounts.values()].map((watched) => watched.poller.stop()))
    await this.#rules.stop({ timeoutMs: this.#settings.stopTimeout, close: false }) // then delivery
    this.#pipeline.transport.close()
    await this.#cluster?.stop() // releases the leases: the other processes take the accounts over
  }

  /** Stops, then closes every notifier (their connections and pools). */
  async close(): Promise<void> {
    await this.stop()
    await this.#delivery.stop({ timeoutMs: 0, close: true })
  }

  /**
   * Adds a notifier, with its own filter, concurrency, timeout, retries and rules; usable while running.
   * @throws {@link ConfigError} for a second notifier of the same name or invalid options.
   */
  use(notifier: Notifier, options: NotifierUseOptions = {}): this {
    useNotifier({ delivery: this.#delivery, rules: this.#rules, settings: this.#settings }, notifier, options)
    return this
  }

  /** The notifications that could not be delivered, oldest first, with the error of their last attempt. */
  deadLetters(): Promise<DeadLetter[]> {
    return this.#delivery.deadLetters()
  }

  /** What rules hold (quiet hours, grouped sales), per notifier and hold; kept in the store across `stop()`. */
  held(): Promise<HeldNotifications[]> {
    return this.#rules.held()
  }

  /** Sends dead letters again (all, or those with these ids); resolves to how many were queued. */
  replay(ids?: readonly string[]): Promise<number> {
    return this.#delivery.replay(ids)
  }

  /** Whether the instance is running. */
  get running(): boolean {
    return this.#running
  }

  #setStatus(ref: string, next: AccountStatus | 'healthy', reason: string, error?: CashNotifyError): void {
    const watched = this.#accounts.get(ref)
    const change = watched?.setStatus(next, reason, error)
    if (!change) return
    this.#logger.warn(`${change.account.name} (${ref}) is now ${change.status}: ${reason}`)
    this.#emitter.emit('account.status', change)
    if (error) this.#reportError(error)
  }

  #watched(account: Account | string): WatchedAccount {
    const ref = typeof account === 'string' ? account : account.ref
    const watched = this.#accounts.get(ref)
    if (!watched)
      throw new AccountError(`No account ${ref} is watched by this instance.`, { code: 'account_not_found' })
    return watched
  }

  /** Emits `error`, or logs it when nobody listens (or the `error` listener itself threw). */
  #reportError(error: CashNotifyError, fromErrorListener = false): void {
    if (fromErrorListener || !this.#emitter.emit('error', error))
      this.#logger.error(error.message, { code: error.code })
  }
}
