/**
 * The options checked once, by hand, in core's words (`optionChecks`, `invalidOption`): every problem
 * is listed in one `ConfigError`, as core's `parseOptions` does, and the password is never shown.
 */
import type { DigestNotification, Notification } from '@cashnotify/core/notifier'
import { invalidOption, isTimeZone, type OptionChecks, optionChecks } from '@cashnotify/core/notifier'
import type { ResolvedChartOptions } from './digest-charts.js'
import {
  type BatchOptions,
  type DigestChartOptions,
  type EmailNotifierOptions,
  NAME,
  type SmtpAuth,
  type SmtpOptions,
} from './options.js'

/** The options with every default applied, as the rest of the package uses them. */
export interface ResolvedOptions {
  readonly to: readonly string[]
  readonly from: string
  readonly smtp: ResolvedSmtpOptions
  readonly subject: ((notification: Notification) => string) | undefined
  readonly batch: { readonly everyMs: number; readonly subject: BatchOptions['subject'] } | undefined
  readonly timeZone: string
  readonly digestSubject: ((digest: DigestNotification) => string) | undefined
  /** How digest charts are drawn, or undefined for none. */
  readonly digestChart: ResolvedChartOptions | undefined
}

/** {@link SmtpOptions} with defaults applied. */
export interface ResolvedSmtpOptions {
  readonly host: string
  readonly port: number
  readonly secure: boolean
  readonly requireTLS: boolean
  readonly auth: SmtpAuth | undefined
  readonly pool: boolean
  readonly maxConnections: number
  readonly tls: SmtpOptions['tls']
}

const problems = (): OptionChecks => optionChecks(NAME)

const MAX_BATCH_MINUTES = 24 * 60
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null
/** How a message shows a password (or a string that may hold one): never, not even in part. */
const hidden = (value: unknown): unknown =>
  typeof value === 'string' || typeof value === 'number' || typeof value === 'bigint' ? '…' : value

/**
 * Checks the options and applies the defaults.
 * @throws `ConfigError` listing every invalid option.
 */
export function resolveOptions(options: EmailNotifierOptions): ResolvedOptions {
  if (!isObject(options)) {
    throw invalidOption(NAME, 'options', 'an object with `to`, `from` and `smtp`', options)
  }
  const found = problems()
  const recipients: readonly unknown[] = Array.isArray(options.to) ? options.to : [options.to]
  const address = 'an e-mail address such as `jane@example.com`'
  if (found.check(recipients.length > 0, 'to', `${address}, or several`, options.to)) {
    recipients.forEach((recipient, i) => {
      found.check(isMailbox(recipient), Array.isArray(options.to) ? `to[${i}]` : 'to', address, recipient)
    })
  }
  found.check(isMailbox(options.from), 'from', 'an e-mail address such as `sales@example.com`', options.from)
  const { subject } = options
  const isHook = subject === undefined || typeof subject === 'function'
  found.check(isHook, 'subject', 'a function of the notification', subject)
  const timeZone = options.timeZone ?? 'UTC'
  found.check(isTimeZone(timeZone), 'timeZone', 'an IANA time zone such as `Europe/Paris`', timeZone)
  const smtp = smtpOptions(options.smtp, found)
  const batch = batchOptions(options.batch, found)
  // Before digests (daily and weekly summaries) came, batching was called `digest`: say so to old code.
  const legacy = (options as { digest?: unknown }).digest
  const batching = 'absent: one e-mail per window of notifications is now `batch: { everyMinutes }`'
  found.check(legacy === undefined, 'digest', batching, legacy)
  const { digestSubject } = options
  const isDigestHook = digestSubject === undefined || typeof digestSubject === 'function'
  found.check(isDigestHook, 'digestSubject', 'a function of the digest', digestSubject)
  const digestChart = chartOptions(options.digestChart, found)
  found.throwIfAny() // throws when `smtp` was not an object, so `smtp` is set below
  const base = { to: recipients as string[], from: options.from, smtp: smtp!, subject, batch, timeZone }
  return { ...base, digestSubject, digestChart }
}

/**
 * Checks the `smtp` options and applies the defaults.
 * @throws `ConfigError` listing every invalid option.
 */
export function resolveSmtpOptions(smtp: SmtpOptions): ResolvedSmtpOptions {
  const found = problems()
  const resolved = smtpOptions(smtp, found)
  found.throwIfAny() // throws when `smtp` was not an object, so `resolved` is set below
  return resolved!
}

/** The `smtp` options with defaults, or undefined when they are not even an object. */
function smtpOptions(smtp: SmtpOptions, found: OptionChecks): ResolvedSmtpOptions | undefined {
  if (!found.check(isObject(smtp), 'smtp', 'an object with at least a `host`', smtp)) return undefined
  const host = typeof smtp.host === 'string' ? smtp.host.trim() : ''
  found.check(host !== '', 'smtp.host', 'a host name or IP address such as `smtp.example.com`', smtp.host)
  const { port, maxConnections, auth, tls } = smtp
  const isPort = port === undefined || (Number.isInteger(port) && port >= 1 && port <= 65_535)
  found.check(isPort, 'smtp.port', 'an integer from 1 to 65535', port)
  for (const flag of ['secure', 'requireTLS', 'pool'] as const) {
    const value = smtp[flag]
    found.check(value === undefined || typeof value === 'boolean', `smtp.${flag}`, 'a boolean', value)
  }
  const isCount = maxConnections === undefined || (Number.isInteger(maxConnections) && maxConnections >= 1)
  found.check(isCount, 'smtp.maxConnections', 'an integer of at least 1', maxConnections)
  if (auth !== undefined && found.check(isObject(auth), 'smtp.auth', '`{ user, pass }`', hidden(auth))) {
    const hasUser = typeof auth.user === 'string' && auth.user !== ''
    found.check(hasUser, 'smtp.auth.user', 'a user name (or leave out `smtp.auth`)', auth.user)
    found.check(typeof auth.pass === 'string', 'smtp.auth.pass', 'a string', hidden(auth.pass))
  }
  found.check(tls === undefined || isObject(tls), 'smtp.tls', 'an object such as `{ ca }`', tls)
  const secure = smtp.secure ?? port === 465
  return {
    host,
    port: port ?? (secure ? 465 : 587),
    secure,
    requireTLS: smtp.requireTLS ?? false,
    auth,
    pool: smtp.pool ?? true,
    maxConnections: maxConnections ?? 5,
    tls,
  }
}

function batchOptions(batch: BatchOptions | undefined, found: OptionChecks): ResolvedOptions['batch'] {
  if (batch === undefined) return undefined
  const isBatch = found.check(isObject(batch), 'batch', 'an object such as `{ everyMinutes: 5 }`', batch)
  if (!isBatch) return undefined
  const minutes = batch.everyMinutes
  const isWindow = Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_BATCH_MINUTES
  found.check(isWindow, 'batch.everyMinutes', `a whole number from 1 to ${MAX_BATCH_MINUTES}`, minutes)
  const isHook = batch.subject === undefined || typeof batch.subject === 'function'
  found.check(isHook, 'batch.subject', 'a function of the notifications', batch.subject)
  return { everyMs: minutes * 60_000, subject: batch.subject }
}

function chartOptions(
  chart: boolean | DigestChartOptions | undefined,
  found: OptionChecks,
): ResolvedChartOptions | undefined {
  if (chart === undefined || chart === true) return { fontFiles: undefined }
  if (chart === false) return undefined
  const expected = 'a boolean, or `{ fontFiles }` with the paths of DejaVu Sans'
  if (!found.check(isObject(chart), 'digestChart', expected, chart)) return undefined
  const { fontFiles } = chart
  const isList =
    fontFiles === undefined ||
    (Array.isArray(fontFiles) &&
      fontFiles.length > 0 &&
      fontFiles.every((f) => typeof f === 'string' && f !== ''))
  found.check(isList, 'digestChart.fontFiles', 'a non-empty array of paths to TTF or OTF files', fontFiles)
  return { fontFiles }
}

/** `local@domain.tld`, optionally as `Display Name <local@domain.tld>`. Deliberately loose: the server decides. */
const ADDRESS = /^[^\s@<>",]+@[^\s@<>",]+\.[^\s@<>",]+$/

function isMailbox(value: unknown): value is string {
  if (typeof value !== 'string') return false
  const named = /^[^<>]*<([^<>]+)>$/.exec(value.trim())
  return ADDRESS.test(named?.[1] ?? value.trim())
}
