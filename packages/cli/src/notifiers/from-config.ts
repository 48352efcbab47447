/**
 * The `notifiers` of the config, as notifier objects and core's per-notifier delivery options. Each
 * type maps onto its package's factory; `filter`, `retry`, `timeoutMs` and `concurrency` go to core.
 */
import { readFile } from 'node:fs/promises'
import { ConfigError, type Logger, type Notifier, type NotifierUseOptions } from '@cashnotify/core'
import { desktopNotifier } from '@cashnotify/notifier-desktop'
import { emailNotifier } from '@cashnotify/notifier-email'
import { webhookNotifier } from '@cashnotify/notifier-webhook'
import { resolvePath } from '../config/load.js'
import { ConfigProblems, settleAll } from '../config/problems.js'
import type { NotifierConfig } from '../config/schema.js'
import { readSecret, SETUP_PROBLEMS, type SecretContext } from '../config/secrets.js'
import type { LogFormat } from '../log/logger.js'
import { consoleNotifier } from './console.js'

/** What building notifiers needs besides the config. */
export interface NotifierContext extends SecretContext {
  /** Where the console notifier writes. */
  readonly write: (line: string) => void
  /** The console notifier's format. */
  readonly format: LogFormat
  /** Colours for the console notifier. */
  readonly color: boolean
  /** The config's `locale`, for what the console notifier formats itself (a digest's figures). */
  readonly locale?: string | undefined
  /** Where notifiers log their own warnings (a logo that could not be downloaded …). */
  readonly logger: Logger
}

/** A notifier built from the config, and where it came from. */
export interface BuiltNotifier {
  /** `notifiers[1]`. */
  readonly label: string
  /** Its config. */
  readonly config: NotifierConfig
  /** The entry to give CashNotify. */
  readonly entry: { readonly notifier: Notifier } & NotifierUseOptions
}

/** An object without its `undefined` fields, as options with `exactOptionalPropertyTypes` want. */
export function defined<T extends object>(object: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>
  }
}

/** What a notifier's config points to, read: its secrets and files. */
interface Fetched {
  readonly url?: string
  readonly secret?: string
  readonly pass?: string
  readonly ca?: string
}

/** Reads every secret and file of one notifier, listing each that cannot be read (not only the first). */
async function fetchSecrets(
  config: NotifierConfig,
  label: string,
  context: NotifierContext,
): Promise<Fetched> {
  const reads: Array<Promise<[keyof Fetched, string]>> = []
  const read = (name: keyof Fetched, value: Promise<string>): void => {
    reads.push(value.then((text) => [name, text]))
  }
  if (config.type === 'webhook') {
    if (config.url === undefined) read('url', readSecret({ env: config.urlEnv }, `${label}.url`, context))
    if (config.secretEnv !== undefined || config.secretFile !== undefined)
      read(
        'secret',
        readSecret({ env: config.secretEnv, file: config.secretFile }, `${label}.secret`, context),
      )
  }
  if (config.type === 'email') {
    const { smtp } = config
    if (smtp.passwordEnv !== undefined || smtp.passwordFile !== undefined)
      read(
        'pass',
        readSecret({ env: smtp.passwordEnv, file: smtp.passwordFile }, `${label}.smtp.password`, context),
      )
    if (smtp.caFile !== undefined) read('ca', readConfigFile(smtp.caFile, `${label}.smtp.caFile`, context))
  }
  return Object.fromEntries(await settleAll(SETUP_PROBLEMS, reads))
}

/** A file the config names that is not a secret (a CA certificate): its text. */
async function readConfigFile(file: string, field: string, context: NotifierContext): Promise<string> {
  const path = resolvePath(context.dir, file)
  try {
    return await readFile(path, 'utf8')
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    throw new ConfigError(
      missing
        ? `File ${path} (\`${field}\`) does not exist.`
        : `Could not read ${path} (\`${field}\`): ${(error as Error).message}`,
      { cause: error },
    )
  }
}

function create(config: NotifierConfig, fetched: Fetched, context: NotifierContext): Notifier {
  switch (config.type) {
    case 'console':
      return consoleNotifier({
        write: context.write,
        format: context.format,
        color: context.color,
        ...defined({ locale: context.locale }),
      })
    case 'desktop': {
      const { appName, sound, urgency, expireMs, openOnClick, clickWaitMs, timeoutMs } = config
      const cacheDir = config.cacheDir === undefined ? undefined : resolvePath(context.dir, config.cacheDir)
      return desktopNotifier({
        ...defined({ appName, sound, urgency, expireMs, openOnClick, clickWaitMs, timeoutMs, cacheDir }),
        logger: context.logger,
      })
    }
    case 'webhook': {
      const { format, headers, includeStripeEvents, username, timeoutMs } = config
      return webhookNotifier({
        url: config.url ?? fetched.url ?? '',
        ...defined({ secret: fetched.secret, format, headers, includeStripeEvents, username, timeoutMs }),
      })
    }
    case 'email': {
      const { smtp } = config
      const { pass, ca } = fetched
      return emailNotifier({
        to: config.to,
        from: config.from,
        smtp: {
          host: smtp.host,
          ...defined({ port: smtp.port, secure: smtp.secure, requireTLS: smtp.requireTLS }),
          ...(smtp.user !== undefined && pass !== undefined ? { auth: { user: smtp.user, pass } } : {}),
          ...(ca === undefined ? {} : { tls: { ca } }),
        },
        ...(config.batchMinutes === undefined ? {} : { batch: { everyMinutes: config.batchMinutes } }),
        ...defined({ timeZone: config.timeZone }),
      })
    }
  }
}

/** The notifier under another name, so that two of one type can be told apart. */
function renamed(notifier: Notifier, name: string): Notifier {
  if (name === notifier.name) return notifier
  return {
    name,
    send: (notification, context) => notifier.send(notification, context),
    ...(notifier.close ? { close: () => notifier.close?.() ?? Promise.resolve() } : {}),
  }
}

/**
 * A batched e-mail's `send()` resolves when its window's e-mail is sent: delivery must wait that long,
 * with room for a window's worth of notifications in flight.
 */
function batchDefaults(config: NotifierConfig): { concurrency?: number; timeoutMs?: number } {
  if (config.type !== 'email' || config.batchMinutes === undefined) return {}
  return { concurrency: 100, timeoutMs: (config.batchMinutes + 1) * 60_000 }
}

/** One notifier of the config, built: its secrets read, named, with its delivery options. */
async function build(
  config: NotifierConfig,
  label: string,
  name: string,
  context: NotifierContext,
): Promise<BuiltNotifier> {
  let notifier: Notifier
  try {
    const fetched = await fetchSecrets(config, label, context)
    if (config.type === 'email' && fetched.pass !== undefined && config.smtp.user === undefined)
      throw new ConfigError(`\`${label}.smtp\` has a password but no \`user\`.`)
    notifier = renamed(create(config, fetched, context), name)
  } catch (error) {
    if (error instanceof ConfigProblems || !(error instanceof ConfigError)) throw error
    // A notifier package's own option error (an invalid URL …): say which notifier of the config it is.
    throw new ConfigError(`\`${label}\` (${config.type}): ${error.message.replace(/^\[cashnotify\] /, '')}`, {
      cause: error,
    })
  }
  const { filter, retry, rules } = config
  const { concurrency, timeoutMs } = {
    ...batchDefaults(config),
    ...defined({ concurrency: config.concurrency, timeoutMs: config.timeoutMs }),
  }
  return { label, config, entry: { notifier, ...defined({ filter, concurrency, timeoutMs, retry, rules }) } }
}

/**
 * Builds every notifier of the config.
 * @throws {@link ConfigProblems} naming each notifier (`notifiers[1]`) that cannot be built, and why.
 */
export async function notifiersFromConfig(
  configs: readonly NotifierConfig[],
  context: NotifierContext,
): Promise<BuiltNotifier[]> {
  const names = new Map<string, string>()
  const tasks = configs.map((config, i) => {
    const label = `notifiers[${i}]`
    const name = config.name ?? config.type
    const first = names.get(name)
    if (first)
      return Promise.reject(
        new ConfigError(
          `\`${label}\` is a second notifier named "${name}" (the first is \`${first}\`): give each a \`name\` of its own, e.g. "${config.type}-2".`,
        ),
      )
    names.set(name, label)
    return build(config, label, name, context)
  })
  return settleAll(SETUP_PROBLEMS, tasks)
}
