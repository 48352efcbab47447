/** How an instance's parts are put together from its resolved options. */
import { Delivery } from '../delivery/index.js'
import { notificationOf } from '../delivery/notification.js'
import type { Notifier } from '../delivery/notifier.js'
import { resolveNotifierOptions } from '../delivery/notifier-options.js'
import { resolvePrivacy } from '../delivery/privacy.js'
import { SharedDelivery } from '../delivery/shared-delivery.js'
import type { DeliveryEvent, DeliveryService, NotifierOptions } from '../delivery/types.js'
import { knownCurrencies } from '../enrich/plausible.js'
import { activeRules, checkRules, RulesEngine } from '../rules/index.js'
import type { NotificationRules, NotifierUseOptions } from '../rules/types.js'
import { CashNotifyError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import { MoneyFormats } from '../shared/money.js'
import type { KeyValueStore } from '../shared/store.js'
import { StripeTransport } from '../stripe/transport.js'
import { clusterQueues } from './cluster.js'
import type { NotifierEntry } from './options.js'
import type { ResolvedOptions } from './options-schema.js'
import type { PipelineSettings } from './pipeline-settings.js'
import type { PipelineHooks } from './watched-account.js'

/** The per-account pipeline settings. */
export function pipelineSettings(options: ResolvedOptions, store: KeyValueStore): PipelineSettings {
  return {
    store,
    // One client, one agent and one cap on requests in flight for every account of the instance.
    transport: new StripeTransport(options.stripe),
    formats: new MoneyFormats(),
    currencies: knownCurrencies(),
    settleMs: options.settle,
    pacing: {
      // Never shorter than the shortest: an app that asks for 1 s and nothing slower gets 1 s.
      maxPollInterval: Math.max(options.pollInterval, options.maxPollInterval),
      share: options.readAllocation.share,
      monthly: options.readAllocation.monthly,
      reconcileInterval: options.webhooks.reconcileInterval,
    },
    missedAfter: options.webhooks.missedAfter,
    enrichment: options.enrichment,
    cache: options.cache,
    poller: {
      pollInterval: options.pollInterval,
      overlap: options.overlap,
      backfillCount: options.backfill,
      maxBackoff: options.maxBackoff,
      random: options.random,
      now: options.now,
      // Clustered, an account polls only in the pipeline made when its lease is won (cluster-polling.ts).
      ...(options.cluster ? { leased: () => false } : {}),
    },
  }
}

/** A notifier entry of the options, as a notifier, its delivery options and its rules. */
export function splitNotifierEntry(entry: NotifierEntry): {
  notifier: Notifier
  options: NotifierOptions
  rules?: NotificationRules | false
} {
  if ('notifier' in entry) {
    const { notifier, rules, ...options } = entry
    return { notifier, options, ...(rules === undefined ? {} : { rules }) }
  }
  return { notifier: entry, options: {} }
}

/** Adds a notifier to delivery, and its rules (over the instance's) to the rules engine; both checked first. */
export function useNotifier(
  parts: { delivery: DeliveryService; rules: RulesEngine; settings: ResolvedOptions },
  notifier: Notifier,
  { rules: own, ...options }: NotifierUseOptions,
  added = false,
): void {
  const name = options.name ?? notifier.name
  const checked = checkRules(name, own)
  if (!added) parts.delivery.use(notifier, options)
  const { filter } = resolveNotifierOptions(name, options)
  parts.rules.use(name, filter, activeRules(parts.settings.rules, checked, parts.settings.timeZone))
}

/** The instance's rules engine, feeding its delivery, with the rules of the notifiers of the options. */
export function createRules(
  settings: ResolvedOptions,
  store: KeyValueStore,
  delivery: DeliveryService,
  { logger, error: reportError }: { logger: Logger; error: (error: CashNotifyError) => void },
): RulesEngine {
  const { privacy, locale, timeZone, format } = settings
  const text = { privacy, locale, ...(timeZone ? { timeZone } : {}), ...(format ? { format } : {}) }
  const rules = new RulesEngine({
    store,
    logger,
    now: settings.now,
    delivery,
    notification: (event) =>
      notificationOf(event, text, (what, cause) =>
        reportError(new CashNotifyError(`Rules could not ${what}`, { code: 'listener_failed', cause })),
      ),
    hideAmounts: resolvePrivacy(privacy).amounts,
    onError: reportError,
  })
  for (const entry of settings.notifiers) {
    const { notifier, options, rules: own } = splitNotifierEntry(entry)
    // Delivery has them already (createDelivery): only their rules are added here.
    useNotifier(
      { delivery, rules, settings },
      notifier,
      { ...options, ...(own === undefined ? {} : { rules: own }) },
      true,
    )
  }
  return rules
}

/**
 * The instance's delivery, reporting on the instance's emitter: an outbox in the instance's store, or in
 * clustered mode the cluster's shared queues (any process sends what any process accepted).
 */
export function createDelivery(
  options: ResolvedOptions,
  store: KeyValueStore,
  { logger, emit, error: reportError }: Pick<PipelineHooks, 'logger' | 'emit' | 'error'>,
): DeliveryService {
  const common = {
    logger,
    now: options.now,
    random: options.random,
    ...(options.format ? { format: options.format } : {}),
    privacy: options.privacy,
    locale: options.locale,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    onEvent: (event: DeliveryEvent) => {
      if (event.type === 'delivered') emit('notification.delivered', event)
      else if (event.type === 'retry') emit('notification.retry', event)
      else if (event.type === 'dead_letter') emit('notification.dead_letter', event)
      else if (event.type === 'notifier_disabled') emit('notifier.disabled', event)
      else reportError(event.error)
    },
  }
  const delivery: DeliveryService = options.cluster
    ? new SharedDelivery({ ...common, queues: clusterQueues(options.cluster) })
    : new Delivery({ ...common, store, maxDeadLetters: options.maxDeadLetters })
  for (const entry of options.notifiers) {
    const { notifier, options: notifierOptions } = splitNotifierEntry(entry)
    delivery.use(notifier, notifierOptions)
  }
  return delivery
}
