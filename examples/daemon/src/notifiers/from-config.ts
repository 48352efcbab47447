/**
 * The `notifiers` of the config, as notifier objects and core's per-notifier delivery options. Each
 * type maps onto its package's factory; `filter`, `retry`, `timeoutMs` and `concurrency` go to core.
 */
import { readFile } from 'node:fs/promises'
import { ConfigError, type Logger, type Notifier, type NotifierOptions } from '@cashnotify/core'
import { desktopNotifier } from '@cashnotify/notifier-desktop'
import { emailNotifier } from '@cashnotify/notifier-email'
import { webhookNotifier } from '@cashnotify/notifier-webhook'
import { resolvePath } from '../config/load.js'
import type { NotifierConfig } from '../config/schema.js'
import { readSecret, type SecretContext } from '../config/secrets.js'
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
  readonly entry: { readonly notifier: Notifier } & NotifierOptions
}

/** An object without its `undefined` fields, as options with `exactOptionalPropertyTypes` want. */
export function defined<T extends object>(object: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>
  }
}

async function create(config: NotifierConfig, label: string, context: NotifierContext): Promise<Notifier> {
  switch (config.type) {
    case 'console':
      return consoleNotifier({ write: context.write, format: context.format, color: context.color })
    case 'desktop': {
      const { appName, sound, urgency, expireMs, openOnClick, clickWaitMs, timeoutMs } = config
      const cacheDir = config.cacheDir === undefined ? undefined : resolvePath(context.dir, config.cacheDir)
      return desktopNotifier({
        ...defined({ appName, sound, urgency, expireMs, openOnClick, clickWaitMs, timeoutMs, cacheDir }),
        logger: context.logger,
      })
    }
    case 'webhook': {
      const url = config.url ?? (await readSecret({ env: config.urlEnv }, `${label}.url`, context))
      const hasSecret = config.secretEnv !== undefined || config.secretFile !== undefined
      const secret = hasSecret
        ? await readSecret({ env: config.secretEnv, file: config.secretFile }, `${label}.secret`, context)
        : undefined
      const { format, headers, includeStripeEvents, username, timeoutMs } = config
      return webhookNotifier({
        url,
        ...defined({ secret, format, headers, includeStripeEvents, username, timeoutMs }),
      })
    }
    case 'email': {
      const { smtp } = config
      const hasPassword = smtp.passwordEnv !== undefined || smtp.passwordFile !== undefined
      const pass = hasPassword
        ? await readSecret(
            { env: smtp.passwordEnv, file: smtp.passwordFile },
            `${label}.smtp.password`,
            context,
          )
        : undefined
      if (pass !== undefined && smtp.user === undefined)
        throw new ConfigError(`\`${label}.smtp\` has a password but no \`user\`.`)
      const ca =
        smtp.caFile === undefined ? undefined : await readFile(resolvePath(context.dir, smtp.caFile), 'utf8')
      return emailNotifier({
        to: config.to,
        from: config.from,
        smtp: {
          host: smtp.host,
          ...defined({ port: smtp.port, secure: smtp.secure, requireTLS: smtp.requireTLS }),
          ...(smtp.user !== undefined && pass !== undefined ? { auth: { user: smtp.user, pass } } : {}),
          ...(ca === undefined ? {} : { tls: { ca } }),
        },
        ...(config.digestMinutes === undefined ? {} : { digest: { everyMinutes: config.digestMinutes } }),
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
 * A digest e-mail's `send()` resolves when its window's e-mail is sent: delivery must wait that long,
 * with room for a window's worth of notifications in flight.
 */
function digestDefaults(config: NotifierConfig): { concurrency?: number; timeoutMs?: number } {
  if (config.type !== 'email' || config.digestMinutes === undefined) return {}
  return { concurrency: 100, timeoutMs: (config.digestMinutes + 1) * 60_000 }
}

/**
 * Builds every notifier of the config.
 * @throws {@link ConfigError} naming the notifier (`notifiers[1]`) and what is wrong.
 */
export async function notifiersFromConfig(
  configs: readonly NotifierConfig[],
  context: NotifierContext,
): Promise<BuiltNotifier[]> {
  const built: BuiltNotifier[] = []
  const names = new Map<string, string>()
  for (const [i, config] of configs.entries()) {
    const label = `notifiers[${i}]`
    const name = config.name ?? config.type
    const first = names.get(name)
    if (first)
      throw new ConfigError(
        `\`${label}\` is a second notifier named "${name}" (the first is \`${first}\`): give each a \`name\` of its own, e.g. "${config.type}-2".`,
      )
    names.set(name, label)
    let notifier: Notifier
    try {
      notifier = renamed(await create(config, label, context), name)
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error
      throw new ConfigError(
        `\`${label}\` (${config.type}): ${error.message.replace(/^\[cashnotify\] /, '')}`,
        {
          cause: error,
        },
      )
    }
    const { filter, retry } = config
    const { concurrency, timeoutMs } = {
      ...digestDefaults(config),
      ...defined({ concurrency: config.concurrency, timeoutMs: config.timeoutMs }),
    }
    built.push({ label, config, entry: { notifier, ...defined({ filter, concurrency, timeoutMs, retry }) } })
  }
  return built
}
