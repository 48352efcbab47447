/** How an instance's parts are put together from its resolved options. */
import { Delivery } from '../delivery/index.js'
import type { Notifier } from '../delivery/notifier.js'
import type { NotifierOptions } from '../delivery/types.js'
import { knownCurrencies } from '../enrich/plausible.js'
import type { CashNotifyError } from '../shared/errors.js'
import type { Logger } from '../shared/logger.js'
import { MoneyFormats } from '../shared/money.js'
import type { KeyValueStore } from '../shared/store.js'
import { StripeTransport } from '../stripe/transport.js'
import type { CashNotifyEvents } from './events.js'
import type { NotifierEntry } from './options.js'
import type { ResolvedOptions } from './options-schema.js'
import type { PipelineSettings } from './pipeline-settings.js'

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
    },
  }
}

/** A notifier entry of the options, as a notifier and its delivery options. */
export function splitNotifierEntry(entry: NotifierEntry): { notifier: Notifier; options: NotifierOptions } {
  if ('notifier' in entry) {
    const { notifier, ...options } = entry
    return { notifier, options }
  }
  return { notifier: entry, options: {} }
}

/** The instance's delivery, reporting on the instance's emitter. */
export function createDelivery(
  options: ResolvedOptions,
  store: KeyValueStore,
  logger: Logger,
  emit: <K extends keyof CashNotifyEvents>(event: K, ...args: CashNotifyEvents[K]) => void,
  reportError: (error: CashNotifyError) => void,
): Delivery {
  const delivery = new Delivery({
    store,
    logger,
    now: options.now,
    random: options.random,
    ...(options.format ? { format: options.format } : {}),
    privacy: options.privacy,
    locale: options.locale,
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    maxDeadLetters: options.maxDeadLetters,
    onEvent: (event) => {
      if (event.type === 'delivered') emit('notification.delivered', event)
      else if (event.type === 'retry') emit('notification.retry', event)
      else if (event.type === 'dead_letter') emit('notification.dead_letter', event)
      else if (event.type === 'notifier_disabled') emit('notifier.disabled', event)
      else reportError(event.error)
    },
  })
  for (const entry of options.notifiers) {
    const { notifier, options: notifierOptions } = splitNotifierEntry(entry)
    delivery.use(notifier, notifierOptions)
  }
  return delivery
}
