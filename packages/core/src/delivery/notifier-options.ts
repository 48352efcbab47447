/**
 * What `use(notifier, options)` is given, checked once with one schema, defaults filled in: a typo
 * fails at start-up, not at the first sale.
 */
import { z } from 'zod'
import { DOMAIN_EVENT_TYPES } from '../enrich/domain-events.js'
import { DEFAULTS } from '../shared/defaults.js'
import { ConfigError } from '../shared/errors.js'
import { invalidOption, parseOptions } from '../shared/validation.js'
import type { Notifier } from './notifier.js'
import type { NotifierOptions } from './types.js'

/** The names the shared notifier suite accepts; `:` is excluded because it separates store keys. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/

const atLeastOne = z.number().int().min(1)
const { notifier: defaults } = DEFAULTS

const notifierOptionsSchema = z.strictObject({
  name: z.string().regex(NAME, 'letters, digits, `.`, `_` or `-`').exactOptional(),
  filter: z
    .strictObject({
      accounts: z.array(z.string()).exactOptional(),
      types: z.array(z.enum(DOMAIN_EVENT_TYPES)).exactOptional(),
      // Currencies compare lower-case, as Stripe writes them.
      minAmount: z
        .record(z.string(), z.number().int().min(0))
        .transform((min) => Object.fromEntries(Object.entries(min).map(([c, a]) => [c.toLowerCase(), a])))
        .exactOptional(),
      mode: z.enum(['live', 'test', 'both']).exactOptional(),
      backfill: z.boolean().exactOptional(),
      digests: z.boolean().exactOptional(),
    })
    .default({}),
  concurrency: atLeastOne.default(defaults.concurrency),
  timeoutMs: atLeastOne.default(defaults.timeoutMs),
  retry: z
    .strictObject({
      attempts: atLeastOne.default(defaults.attempts),
      baseDelayMs: atLeastOne.default(defaults.baseDelayMs),
      maxDelayMs: atLeastOne.default(defaults.maxDelayMs),
    })
    .default({
      attempts: defaults.attempts,
      baseDelayMs: defaults.baseDelayMs,
      maxDelayMs: defaults.maxDelayMs,
    }),
})

/** {@link NotifierOptions} with every default filled in. */
export type ResolvedNotifierOptions = z.output<typeof notifierOptionsSchema>

/** Checks a notifier against the contract. @throws {@link ConfigError} */
export function checkNotifier(notifier: Notifier): void {
  if (typeof notifier !== 'object' || notifier === null || typeof notifier.send !== 'function')
    throw invalidOption(undefined, 'notifier', 'a notifier (an object with `name` and `send`)', notifier)
  if (notifier.sendDigest !== undefined && typeof notifier.sendDigest !== 'function')
    throw invalidOption(undefined, 'sendDigest', 'a function, when given', notifier.sendDigest)
  if (typeof notifier.name !== 'string' || !NAME.test(notifier.name))
    throw invalidOption(undefined, 'name', 'letters, digits, `.`, `_` or `-`', notifier.name)
}

/** Validates the options of one notifier and fills in the defaults. @throws {@link ConfigError} naming the option */
export function resolveNotifierOptions(who: string, options: NotifierOptions = {}): ResolvedNotifierOptions {
  return parseOptions(notifierOptionsSchema, options, { name: who })
}

/** The same notifier under another name; its methods stay bound to it. */
function renamed(notifier: Notifier, name: string): Notifier {
  return {
    name,
    send: (notification, context) => notifier.send(notification, context),
    ...(notifier.sendDigest
      ? { sendDigest: (digest, context) => notifier.sendDigest?.(digest, context) ?? Promise.resolve() }
      : {}),
    ...(notifier.close ? { close: () => notifier.close?.() ?? Promise.resolve() } : {}),
  }
}

/**
 * What `use(notifier, options)` adds: the notifier under its name, checked, and its options resolved (the
 * app's concurrency first, else the channel's own, else the default).
 * @throws {@link ConfigError} when the notifier or an option is invalid, or `taken(name)` says it is in use.
 */
export function prepareNotifier(
  given: Notifier,
  options: NotifierOptions | undefined,
  taken: (name: string) => boolean,
): { notifier: Notifier; options: ResolvedNotifierOptions } {
  checkNotifier(given)
  const notifier = options?.name === undefined ? given : renamed(given, options.name)
  checkNotifier(notifier)
  if (taken(notifier.name))
    throw new ConfigError(
      `A notifier named "${notifier.name}" is already in use; give each notifier a unique name.`,
    )
  const concurrency = options?.concurrency ?? given.concurrency
  const resolved = resolveNotifierOptions(notifier.name, {
    ...options,
    ...(concurrency === undefined ? {} : { concurrency }),
  })
  return { notifier, options: resolved }
}
