import {
  type Account,
  CashNotify,
  type CashNotifyCluster,
  CashNotifyError,
  ConfigError,
  type KeyValueStore,
  type Logger,
  type Notifier,
  type StripeConnectionOptions,
  stripeConnectionFromUrl,
  type WebhookOptions,
} from '@cashnotify/core'
import type { LoadedConfig } from '../config/load.js'
import { ConfigProblems, problemsOf } from '../config/problems.js'
import type { NotifierConfig, WebhooksConfig } from '../config/schema.js'
import { type ResolvedAccount, resolveAccounts, SETUP_PROBLEMS } from '../config/secrets.js'
import type { LogFormat } from '../log/logger.js'
import { detectDesktop } from '../notifiers/desktop-check.js'
import { type BuiltNotifier, defined, notifiersFromConfig } from '../notifiers/from-config.js'
import { type AddedAccounts, addAccounts } from './add-accounts.js'
import { paceText } from './pace-text.js'
import { countsText, type DeliveryCounts, reportEvents } from './report.js'
import { serveWebhooks, type WebhookListen } from './webhook-server.js'

/** What the watch pipeline needs: the config, where state lives, where lines go. */
export interface PipelineOptions {
  /** The validated config. */
  readonly loaded: LoadedConfig
  /** The environment keys and secrets are read from. */
  readonly env: Readonly<Record<string, string | undefined>>
  /** The state store (the SQLite-backed Keyv). */
  readonly store?: KeyValueStore | undefined
  /** Instead of `store`: the cluster of the config's Redis store, which brings the shared store. */
  readonly cluster?: CashNotifyCluster | undefined
  /** The daemon's (redacting) logger. */
  readonly logger: Logger
  /** Where the console notifier writes its lines. */
  readonly write: (line: string) => void
  /** The console notifier's format. */
  readonly format: LogFormat
  /** Colours for the console notifier. */
  readonly color: boolean
  /** Where Stripe is, when a flag overrides the config's `stripeUrl`. */
  readonly stripe?: StripeConnectionOptions | undefined
  /** How to name the command that lists dead letters, for the hint in their log line. */
  readonly deadLetterHint: string
  /** Changes a notifier before use (the demo makes an absent desktop say so once, then stay quiet). */
  readonly wrapNotifier?: (notifier: Notifier, config: NotifierConfig) => Notifier
  /** Where Stripe's webhooks are taken: a server the caller bound, else the config's `webhooks`. */
  readonly webhooks?: WebhookListen | undefined
  /** Aborted by a stop signal during start-up: no account is checked after it, and nothing is polled. */
  readonly signal?: AbortSignal
}

/** A running watch pipeline. */
export interface Pipeline {
  /** The CashNotify instance. */
  readonly cn: CashNotify
  /** The accounts watched and those refused. */
  readonly accounts: AddedAccounts
  /** The notifiers in use. */
  readonly notifiers: readonly BuiltNotifier[]
  /** Deliveries so far, per notifier. */
  readonly counts: DeliveryCounts
  /** The URL Stripe's webhooks are taken at, when they are. */
  readonly webhookUrl: string | undefined
  /**
   * Stops polling, drains the notifications being sent (the rest stay in the outbox for the next
   * start), persists progress and closes the notifiers. Idempotent.
   */
  stop(): Promise<void>
}

function stripeOf(options: PipelineOptions): StripeConnectionOptions | undefined {
  if (options.stripe) return options.stripe
  const url = options.loaded.config.stripeUrl
  return url === undefined ? undefined : stripeConnectionFromUrl(url)
}

/**
 * Starts what `cashnotify watch` runs: reads the keys, builds the notifiers, adds the accounts (logging
 * each), and starts polling. The demo runs this very function against the simulator.
 *
 * @throws {@link ConfigError} for a key or secret that cannot be read, a notifier that cannot be built,
 * or when no account at all can be watched.
 */
export async function startPipeline(options: PipelineOptions): Promise<Pipeline> {
  const { loaded, logger } = options
  const { config, dir } = loaded
  const { resolved, notifiers } = await prepare(options)
  const stripe = stripeOf(options)
  const cn = new CashNotify({
    ...(options.cluster ? { cluster: options.cluster } : defined({ store: options.store })),
    // Core's only info line says an account is watched: the daemon says it itself, with progress.
    logger: { ...logger, info: logger.debug },
    notifiers: notifiers.map((item) => item.entry),
    ...(stripe ? { stripe } : {}),
    ...defined({
      pollInterval: config.pollInterval,
      maxPollInterval: config.maxPollInterval,
      readAllocation: config.readAllocation,
      webhooks: webhookOptions(config.webhooks),
      backfill: config.backfill,
      privacy: config.privacy,
      locale: config.locale,
      timeZone: config.timeZone,
      rules: config.rules,
      digests: config.digests,
      strictPermissions: config.strictPermissions,
      stopTimeout: config.stopTimeoutMs,
    }),
  })
  const counts = report(cn, options)
  if (notifiers.length === 0)
    logger.warn('No notifiers in the config: events are only logged. Add some under `notifiers`.')
  await warnWithoutDesktop(config.notifiers ?? [], options.env, logger)
  logger.info(
    `Checking ${resolved.length} account${resolved.length === 1 ? '' : 's'}${stripe ? ` on ${stripe.protocol ?? 'https'}://${stripe.host}:${stripe.port}` : ''}…`,
  )
  const accounts = await addAccounts(cn, resolved, { dir, logger, signal: options.signal })
  if (options.signal?.aborted || accounts.watched.length === 0) {
    await cn.close()
    if (options.signal?.aborted) throw new StartAborted()
    // Stripe unreachable (the network not up yet at boot) is worth a restart; refused keys are not.
    if (accounts.failed.some(({ error }) => error instanceof CashNotifyError && error.retryable))
      throw new Error('No account could be watched yet: Stripe could not be reached (see above).')
    throw new ConfigError('No account could be watched: see the errors above.')
  }
  const listen = options.webhooks ?? (config.webhooks ? { config: config.webhooks } : undefined)
  const server = listen ? await serveWebhooks(listen, cn.webhookHandler()).catch(closing(cn)) : undefined
  await cn.start()
  logger.info(
    `Watching ${describeAccounts(accounts.watched)}; notifying through ${notifiers.map((n) => n.entry.notifier.name).join(', ') || 'nothing but this log'}${server ? `; taking Stripe's webhooks at ${server.url}` : ''}.`,
    { accounts: accounts.watched.length, notifiers: notifiers.length },
  )
  logPace(cn, accounts.watched, logger)
  let stopping: Promise<void> | undefined
  return {
    cn,
    accounts,
    notifiers,
    counts,
    webhookUrl: server?.url,
    stop() {
      stopping ??= Promise.all([server?.close(), cn.close()]).then(() => {
        const dead = counts.dead.size > 0 ? `; dead letters: ${countsText(counts.dead)}` : ''
        logger.info(`Delivered this run: ${countsText(counts.delivered)}${dead}.`)
      })
      return stopping
    },
  }
}

/** Closes the instance when the start-up fails after it was made, then fails as it did. */
function closing(cn: CashNotify): (error: unknown) => Promise<never> {
  return async (error) => {
    await cn.close()
    throw error
  }
}

/** Core's webhook options, from the config's. */
function webhookOptions(config: WebhooksConfig | undefined): WebhookOptions | undefined {
  if (!config) return undefined
  return defined({ tolerance: config.toleranceSeconds, reconcileInterval: config.reconcileIntervalMs })
}

/**
 * One line per account (the first few of many) with the pace its reads allow: a person sees at start
 * why polls are minutes apart, and what webhooks would change.
 */
function logPace(cn: CashNotify, accounts: readonly Account[], logger: Logger): void {
  for (const account of accounts.slice(0, 3)) {
    const usage = cn.readUsage(account)
    logger.info(
      `${account.name} (${account.ref}): ${paceText(usage)}${account.webhookSecrets ? '' : '; webhooks would notify within seconds (see docs/webhooks.md)'}.`,
      { account: account.ref, interval: usage.interval, allocation: usage.allocation },
    )
  }
}

/** Thrown by {@link startPipeline} when its `signal` stopped the start-up. */
export class StartAborted extends Error {
  constructor() {
    super('Stopped during start-up.')
    this.name = 'StartAborted'
  }
}

/**
 * Reads every key and secret and builds every notifier, listing every problem of both at once: a
 * deployment with three unset variables is fixed in one go, not in three restarts.
 */
async function prepare(
  options: PipelineOptions,
): Promise<{ resolved: ResolvedAccount[]; notifiers: BuiltNotifier[] }> {
  const { loaded, logger } = options
  const secrets = { env: options.env, dir: loaded.dir, warn: (message: string) => logger.warn(message) }
  const [accounts, built] = await Promise.allSettled([
    resolveAccounts(loaded.config.accounts, secrets),
    notifiersFromConfig(loaded.config.notifiers ?? [], {
      ...secrets,
      write: options.write,
      format: options.format,
      color: options.color,
      locale: loaded.config.locale,
      logger,
    }),
  ])
  if (accounts.status === 'rejected' || built.status === 'rejected') {
    const failures = [accounts, built].flatMap((r) => (r.status === 'rejected' ? [r.reason] : []))
    throw new ConfigProblems(SETUP_PROBLEMS, problemsOf(failures))
  }
  const wrap = options.wrapNotifier
  const notifiers = wrap
    ? built.value.map((item) => ({
        ...item,
        entry: { ...item.entry, notifier: wrap(item.entry.notifier, item.config) },
      }))
    : built.value
  return { resolved: accounts.value, notifiers }
}

/** The log lines of the run's events, and its delivery counts. */
function report(cn: CashNotify, options: PipelineOptions): DeliveryCounts {
  const { privacy, locale, timeZone } = cn.options
  return reportEvents(cn, {
    logger: options.logger,
    logEvents: !(options.loaded.config.notifiers ?? []).some((notifier) => notifier.type === 'console'),
    format: {
      ...(privacy === undefined ? {} : { privacy }),
      ...(locale ? { locale } : {}),
      ...(timeZone ? { timeZone } : {}),
    },
    deadLetterHint: options.deadLetterHint,
  })
}

/** Says at start-up, once, when a desktop notifier cannot work here, rather than at each notification. */
async function warnWithoutDesktop(
  configs: readonly NotifierConfig[],
  env: PipelineOptions['env'],
  logger: Logger,
): Promise<void> {
  if (!configs.some((config) => config.type === 'desktop')) return
  const desktop = await detectDesktop(env)
  if (!desktop.ok)
    logger.warn(
      `The desktop notifier will fail here: ${desktop.reason} Its notifications become dead letters until that is fixed.`,
    )
}

function describeAccounts(accounts: readonly Account[]): string {
  if (accounts.length > 3) return `${accounts.length} accounts`
  return accounts.map((account) => `${account.name} (${account.mode})`).join(', ')
}
