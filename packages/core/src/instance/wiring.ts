import { Delivery } from '../delivery/index.js'
import type { CashNotifyError } from '../shared/errors.js'
import type { CashNotifyEvents } from './events.js'
import type { Logger } from '../shared/logger.js'
import type { Notifier } from '../delivery/notifier.js'
import type { CashNotifyOptions, KeyValueStore, NotifierEntry } from './options.js'
import type { PipelineSettings } from './watched-account.js'

/** The per-account pipeline settings, with every default filled in. */
export function pipelineSettings(options: CashNotifyOptions, store: KeyValueStore): PipelineSettings {
  return {
    store,
    settleSeconds: Math.round((options.settle ?? 2_000) / 1000),
    cache: options.cache ?? {},
    poller: {
      pollInterval: options.pollInterval ?? 5_000,
      overlap: options.overlap ?? 60_000,
      backfillCount: options.backfill ?? 50,
      maxBackoff: options.maxBackoff ?? 300_000,
      random: options.random ?? Math.random,
      now: options.now ?? Date.now,
    },
  }
}

/** A notifier entry of the options, as a notifier and its delivery options. */
export function splitNotifierEntry(entry: NotifierEntry): {
  notifier: Notifier
  options: Omit<NotifierEntry & object, 'notifier'>
} {
  if ('notifier' in entry) {
    const { notifier, ...options } = entry
    return { notifier, options }
  }
  return { notifier: entry, options: {} }
}

/** The instance's delivery, reporting on the instance's emitter. */
export function createDelivery(
  options: CashNotifyOptions,
  store: KeyValueStore,
  logger: Logger,
  emit: <K extends keyof CashNotifyEvents>(event: K, ...args: CashNotifyEvents[K]) => void,
  reportError: (error: CashNotifyError) => void,
): Delivery {
  const delivery = new Delivery({
    store,
    logger,
    ...(options.now ? { now: options.now } : {}),
    ...(options.random ? { random: options.random } : {}),
    ...(options.format ? { format: options.format } : {}),
    ...(options.privacy === undefined ? {} : { privacy: options.privacy }),
    ...(options.locale ? { locale: options.locale } : {}),
    ...(options.timeZone ? { timeZone: options.timeZone } : {}),
    ...(options.maxDeadLetters === undefined ? {} : { maxDeadLetters: options.maxDeadLetters }),
    onEvent: (event) => {
      if (event.type === 'delivered') emit('notification.delivered', event)
      else if (event.type === 'retry') emit('notification.retry', event)
      else if (event.type === 'dead_letter') emit('notification.dead_letter', event)
      else if (event.type === 'notifier_disabled') emit('notifier.disabled', event)
      else reportError(event.error)
    },
  })
  for (const entry of options.notifiers ?? []) {
    const { notifier, options: notifierOptions } = splitNotifierEntry(entry)
    delivery.use(notifier, notifierOptions)
  }
  return delivery
}
