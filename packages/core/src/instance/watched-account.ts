import type Stripe from 'stripe'
import { type Account, type AccountStatus, statusFromReport } from '../accounts/account.js'
import type { ApiKey } from '../accounts/keys.js'
import { check, withCheck } from '../accounts/permission-report.js'
import { isPermissionName, PERMISSIONS } from '../accounts/permissions.js'
import type { DomainEvent } from '../enrich/domain-events.js'
import { Enricher } from '../enrich/enricher.js'
import { StripeLookups } from '../enrich/lookups.js'
import { Pacer } from '../polling/pacing.js'
import { estimatePayments } from '../polling/payments-estimate.js'
import { AccountPoller } from '../polling/poller.js'
import type { PollerSink } from '../polling/poller-types.js'
import { PushIntake } from '../polling/push.js'
import { CashNotifyError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import { STORE_KEYS } from '../shared/store.js'
import type { StripeGateway } from '../stripe/client.js'
import { ReadLedger } from '../stripe/read-ledger.js'
import type { WebhookSecrets } from '../stripe/webhook-secrets.js'
import { catchUpMessage, missedWebhooksReason, readShareReason } from './account-messages.js'
import type { AccountStatusChange, CashNotifyEvents } from './events.js'
import type { PipelineSettings } from './pipeline-settings.js'

/** What an account's pipeline reports to, and hands its events to: the instance around it. */
export interface PipelineHooks {
  /** Emits on the instance. */
  emit<K extends keyof CashNotifyEvents>(event: K, ...args: CashNotifyEvents[K]): void
  /** Hands a domain event to delivery; resolves once it is safely accepted. */
  deliver(event: DomainEvent): Promise<void>
  /** Counts a batch of the account's domain events in the digests' day records. */
  record(ref: string, events: readonly DomainEvent[]): Promise<void>
  /** The account's health changed. */
  status(ref: string, status: AccountStatus | 'healthy', reason: string, error?: CashNotifyError): void
  /** Something failed that changes no status. */
  error(error: CashNotifyError): void
  /** The instance's (redacting) logger. */
  readonly logger: Logger
}

/**
 * One watched account and its one-way pipeline: Stripe → poller → enricher → emitter → delivery.
 * The account's snapshot is the only part that leaves the instance.
 */
export class WatchedAccount {
  /** The account as the app sees it. */
  snapshot: Account
  /** The key, never shown. */
  readonly key: ApiKey
  /** The account's way to Stripe. */
  readonly gateway: StripeGateway<ApiKey>
  /** The account's polling loop. */
  readonly poller: AccountPoller
  /** What the app chose itself: a custom name and logo. */
  readonly overrides: { readonly name?: string; readonly logo?: Account['logo'] }
  /** What the account read, and how it paces its polls by it. */
  readonly ledger: ReadLedger
  readonly pacer: Pacer
  /** The signing secrets of the account's webhook endpoint, and what pushes bring, when it has them. */
  readonly secrets: WebhookSecrets | undefined
  readonly push: PushIntake | undefined
  readonly #now: () => number
  readonly #enricher: Enricher
  readonly #hooks: PipelineHooks
  /** Whether the last check found the pace over the share (announced once each way). */
  #overShare = false

  constructor(
    parts: {
      snapshot: Account
      key: ApiKey
      gateway: StripeGateway<ApiKey>
      overrides: WatchedAccount['overrides']
      secrets?: WebhookSecrets | undefined
    },
    settings: PipelineSettings,
    hooks: PipelineHooks,
  ) {
    this.snapshot = parts.snapshot
    this.key = parts.key
    this.gateway = parts.gateway
    this.overrides = parts.overrides
    this.#hooks = hooks
    const { now } = settings.poller
    this.#now = now
    this.secrets = parts.secrets
    this.push = parts.secrets ? new PushIntake(settings.store, parts.snapshot.ref, now) : undefined
    this.ledger = new ReadLedger(settings.store, STORE_KEYS.reads(parts.snapshot.ref), now)
    this.pacer = new Pacer(
      this.ledger,
      { pollInterval: settings.poller.pollInterval, ...settings.pacing },
      now,
      this.push,
    )
    this.#enricher = new Enricher({
      ref: parts.snapshot.ref,
      account: () => {
        const { id, name, mode, logo } = this.snapshot
        return { id, name, mode, logo }
      },
      lookups: new StripeLookups(
        parts.gateway,
        { ...settings.cache, expandBeyondPermissions: parts.snapshot.key.kind === 'secret' },
        settings.poller.now,
        (permission, state, reason) => this.#permissionChanged(permission, state, reason),
      ),
      store: settings.store,
      settleMs: settings.settleMs,
      ...settings.enrichment,
      now: settings.poller.now,
      formats: settings.formats,
      currencies: settings.currencies,
    })
    this.poller = new AccountPoller(
      parts.snapshot.ref,
      parts.gateway,
      settings.store,
      new WatchedAccount.#Sink(this),
      {
        ...settings.poller,
        pacer: this.pacer,
        push: this.push,
        missedAfter: settings.missedAfter,
      },
    )
  }

  /**
   * An event Stripe pushed (its signature checked): it is in the store when this resolves, and handed
   * on right after, between polls. A push after polls found missed events ends the warning.
   */
  async receive(event: Stripe.Event): Promise<void> {
    const push = this.push
    if (!push) return
    await push.inbox.add([event])
    if (push.pushed(this.#now(), event.type))
      this.#hooks.status(this.snapshot.ref, 'healthy', 'its Stripe webhooks arrive again')
    void this.poller.accept()
  }

  /**
   * A read showed that the key lost a permission, or has it again: the account's report, its lost
   * features and its status follow, and the change is announced once (`account.status`).
   */
  #permissionChanged(permission: string, state: 'granted' | 'missing', reason: string): void {
    if (!isPermissionName(permission)) return
    const report = withCheck(this.snapshot.permissions, this.key, check(permission, state))
    this.snapshot = { ...this.snapshot, permissions: report, featuresLost: report.featuresLost }
    const what = PERMISSIONS[permission]
    const why =
      state === 'missing'
        ? `the key no longer has ${permission} (${reason}): ${what.withoutIt}`
        : `the key has ${permission} again`
    this.#hooks.logger.warn(`${this.snapshot.name} (${this.snapshot.ref}): ${why}`)
    this.#hooks.status(this.snapshot.ref, 'healthy', why)
  }

  /**
   * Reads what the account's pipeline persisted (its reads, its cursor), or writes the moment it was
   * first added: before anything can fail, so that what Stripe creates from now on is new.
   */
  async init(): Promise<void> {
    await this.ledger.load()
    const first = this.ledger.empty
    this.gateway.attachLedger(this.ledger)
    const state = await this.poller.init()
    // Once, for an account CashNotify has no count of: its payments set its read allocation.
    if (first && this.pacer.countsPayments) {
      const enough = this.pacer.paymentsForShortestInterval()
      await estimatePayments(this.gateway, this.ledger, { until: state.since, enough })
    }
    await this.ledger.flush()
  }

  /** The status of a working account: its permissions', unless its pace is over its read share or its webhooks fail. */
  healthyStatus(): AccountStatus {
    if (this.#overShare) return 'read_allocation'
    if (this.push?.state === 'missing') return 'webhooks_missing'
    return statusFromReport(this.snapshot.permissions)
  }

  /**
   * Moves the account to a status (`healthy`: what {@link healthyStatus} says); resolves the change to
   * announce, or nothing when the status stays.
   */
  setStatus(
    next: AccountStatus | 'healthy',
    reason: string,
    error?: CashNotifyError,
  ): AccountStatusChange | undefined {
    const previous = this.snapshot.status
    const status = next === 'healthy' ? this.healthyStatus() : next
    if (status === previous) return undefined
    this.snapshot = { ...this.snapshot, status }
    return { account: this.snapshot, previous, status, reason, ...(error ? { error } : {}) }
  }

  /** Deletes everything the account's pipeline persisted (it was removed for good). */
  async forget(): Promise<void> {
    await this.poller.forget()
    await this.#enricher.forget()
    await this.ledger.forget()
    await this.push?.forget()
  }

  /** After each poll: the reads are persisted, and a pace over the share is said once, and its end. */
  async #afterPoll(): Promise<void> {
    await this.ledger.flush()
    const over = this.pacer.overShare()
    if (over === this.#overShare) return
    this.#overShare = over
    this.#hooks.status(this.snapshot.ref, 'healthy', readShareReason(over, this.pacer.usage()))
  }

  /**
   * What the poller tells the account. One small object of prototype methods: eight closures per account
   * were 2.6 KiB each of 10,000 accounts.
   */
  static readonly #Sink = class implements PollerSink {
    readonly #account: WatchedAccount
    constructor(account: WatchedAccount) {
      this.#account = account
    }
    async events(events: Stripe.Event[], backfill: boolean): Promise<void> {
      const account = this.#account
      for (const event of events)
        account.#hooks.emit('stripe.event', event, { account: account.snapshot, backfill })
      await account.#enrich(events, backfill)
    }
    async settle(): Promise<void> {
      await this.#account.#enrich([], false)
      await this.#account.#afterPoll()
    }
    nextSettleAt(): number | undefined {
      return this.#account.#enricher.nextSettleAt()
    }
    catchUp(pages: number, events: number): void {
      const ref = this.#account.snapshot.ref
      this.#account.#hooks.logger.info(catchUpMessage(ref, pages, events), { account: ref, pages, events })
    }
    missed(count: number): void {
      if (!this.#account.push?.missed()) return
      this.#account.#hooks.status(this.#account.snapshot.ref, 'healthy', missedWebhooksReason(count))
    }
    gap(from: Date, to: Date, reason: string): void {
      const { snapshot } = this.#account
      this.#account.#hooks.emit('gap', { account: snapshot, from, to, reason })
      this.#account.#hooks.logger.warn(
        `Events of ${snapshot.ref} between ${from.toISOString()} and ${to.toISOString()} are lost: ${reason}`,
      )
    }
    status(status: AccountStatus | 'healthy', reason: string, error?: CashNotifyError): void {
      this.#account.#hooks.status(this.#account.snapshot.ref, status, reason, error)
    }
    error(error: unknown): void {
      const ref = this.#account.snapshot.ref
      this.#account.#hooks.error(
        error instanceof CashNotifyError
          ? error
          : new CashNotifyError(`Polling ${ref} failed: ${String(error)}`, {
              code: 'internal',
              cause: error,
            }),
      )
    }
  }

  /** Enrich, emit, hand to delivery, then record them as emitted: a crash before the record re-reads. */
  async #enrich(events: Stripe.Event[], backfill: boolean): Promise<void> {
    const result = await this.#enricher.process(events, backfill)
    // Stripe grows the read allocation with the account's payments (those before the account was added
    // were counted when it was: the backfill's are not counted again).
    if (!backfill) this.ledger.recordPayments(result.events.filter((event) => event.type === 'sale').length)
    for (const { eventId, type, reason } of result.rejected) {
      this.#hooks.error(
        new CashNotifyError(
          `The Stripe event ${eventId} (${type}) of ${this.snapshot.ref} was not enriched: ${reason}.`,
          {
            code: 'event_rejected',
          },
        ),
      )
    }
    for (const event of result.events) {
      this.#hooks.emit(event.type, event as never)
      this.#hooks.emit('event', event)
      await this.#hooks.deliver(event)
    }
    await this.#hooks.record(this.snapshot.ref, result.events)
    await result.commit()
  }
}
