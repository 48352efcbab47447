/**
 * The schemas of `new CashNotify(options)` and `addAccount(input)`: every option checked once, here,
 * with its default from `DEFAULTS`; what the instance works with is what these schemas output.
 */
import { z } from 'zod'
import type { ApiKey } from '../accounts/keys.js'
import type { FormatHook } from '../delivery/text/format.js'
import { rulesSchema } from '../rules/options.js'
import { DEFAULTS } from '../shared/defaults.js'
import type { Logger } from '../shared/logger.js'
import type { KeyValueStore } from '../shared/store.js'
import { parseOptions } from '../shared/validation.js'
import { isTimeZone } from '../shared/zone-clock.js'
import type { CashNotifyCluster } from './cluster.js'
import { digestsSchema, digestTotalSchema } from './digest-options.js'
import type { AddAccountInput, CashNotifyOptions, NotifierEntry } from './options.js'

const positiveInt = z.number().int().positive()
const isFn = (value: unknown): boolean => typeof value === 'function'
const hasMethods = (value: unknown, methods: readonly string[]): boolean =>
  typeof value === 'object' && value !== null && methods.every((m) => isFn(Reflect.get(value, m)))

/** A locale `Intl` knows, e.g. `de-DE`. */
const locale = z.string().refine(
  (value) => {
    try {
      return Intl.getCanonicalLocales(value).length === 1
    } catch {
      return false
    }
  },
  { message: 'a BCP 47 locale such as `en-US`' },
)

/** An IANA time zone `Intl` knows, e.g. `Europe/Paris`. */
const timeZone = z.string().refine(isTimeZone, { message: 'an IANA time zone such as `Europe/Paris`' })

const optionsSchema = z.strictObject({
  store: z
    .custom<KeyValueStore>((v) => hasMethods(v, ['get', 'set', 'delete']), {
      message: 'a Keyv instance (an object with get, set and delete)',
    })
    .exactOptional(),
  cluster: z
    .custom<CashNotifyCluster>((v) => hasMethods(v, ['start', 'close', 'assign', 'holds', 'accountStore']), {
      message: 'a cluster, e.g. redisCluster() of @cashnotify/redis',
    })
    .exactOptional(),
  pollInterval: z.number().int().min(1000).max(3_600_000).default(DEFAULTS.pollInterval),
  maxPollInterval: z.number().int().min(1000).max(86_400_000).default(DEFAULTS.maxPollInterval),
  readAllocation: z
    .strictObject({
      share: z.number().gt(0).max(1).default(DEFAULTS.readAllocation.share),
      monthly: z.number().int().min(1).exactOptional(),
    })
    .default(DEFAULTS.readAllocation),
  webhooks: z
    .strictObject({
      tolerance: z.number().int().min(0).max(86_400).default(DEFAULTS.webhooks.tolerance),
      maxBodyBytes: z.number().int().min(1_024).default(DEFAULTS.webhooks.maxBodyBytes),
      reconcileInterval: z
        .number()
        .int()
        .min(1_000)
        .max(86_400_000)
        .default(DEFAULTS.webhooks.reconcileInterval),
      missedAfter: z.number().int().min(0).default(DEFAULTS.webhooks.missedAfter),
    })
    .default(DEFAULTS.webhooks),
  stripe: z
    .strictObject({
      host: z.string().min(1).exactOptional(),
      port: z.number().int().min(1).max(65_535).exactOptional(),
      protocol: z.enum(['http', 'https']).exactOptional(),
      timeout: positiveInt.exactOptional(),
      maxInFlight: positiveInt.exactOptional(),
      fetch: z.custom<typeof fetch>(isFn, { message: 'a fetch function' }).exactOptional(),
    })
    .default({}),
  budget: z
    .strictObject({
      livePerSecond: positiveInt.default(DEFAULTS.budget.livePerSecond),
      testPerSecond: positiveInt.default(DEFAULTS.budget.testPerSecond),
      perEndpointPerSecond: positiveInt.default(DEFAULTS.budget.perEndpointPerSecond),
      concurrency: positiveInt.default(DEFAULTS.budget.concurrency),
      startFull: z.boolean().default(DEFAULTS.budget.startFull),
    })
    .default(DEFAULTS.budget),
  retry: z
    .strictObject({
      retries: z.number().int().min(0).max(20).default(DEFAULTS.retry.retries),
      baseDelayMs: positiveInt.default(DEFAULTS.retry.baseDelayMs),
      maxDelayMs: positiveInt.default(DEFAULTS.retry.maxDelayMs),
      random: z.custom<() => number>(isFn, { message: 'a function' }).exactOptional(),
    })
    .default(DEFAULTS.retry),
  strictPermissions: z.boolean().default(DEFAULTS.strictPermissions),
  logger: z
    .custom<Logger>((v) => hasMethods(v, ['debug', 'info', 'warn', 'error']), {
      message: 'a logger (an object with debug, info, warn and error)',
    })
    .exactOptional(),
  overlap: z.number().int().min(1000).max(3_600_000).default(DEFAULTS.overlap),
  backfill: z.number().int().min(0).max(100).default(DEFAULTS.backfill),
  maxBackoff: z.number().int().min(1000).default(DEFAULTS.maxBackoff),
  now: z.custom<() => number>(isFn, { message: 'a function' }).default(() => Date.now),
  random: z.custom<() => number>(isFn, { message: 'a function' }).default(() => Math.random),
  settle: z.number().int().min(0).max(60_000).default(DEFAULTS.settle),
  enrichment: z
    .strictObject({
      holdMs: z.number().int().min(0).max(600_000).default(DEFAULTS.enrichment.holdMs),
      repairForMs: z.number().int().min(0).default(DEFAULTS.enrichment.repairForMs),
    })
    .default(DEFAULTS.enrichment),
  cache: z
    .strictObject({
      ttlMs: positiveInt.default(DEFAULTS.cache.ttlMs),
      subscriptionTtlMs: positiveInt.default(DEFAULTS.cache.subscriptionTtlMs),
      maxSize: positiveInt.default(DEFAULTS.cache.maxSize),
    })
    .default(DEFAULTS.cache),
  notifiers: z
    .array(
      z.custom<NotifierEntry>(
        (v) => typeof v === 'object' && v !== null && ('notifier' in v || isFn(Reflect.get(v, 'send'))),
        { message: 'a notifier (an object with name and send) or { notifier, ...options }' },
      ),
    )
    .readonly()
    .default([]),
  rules: rulesSchema.exactOptional(),
  format: z.custom<FormatHook>(isFn, { message: 'a function' }).exactOptional(),
  privacy: z
    .union([
      z.boolean(),
      z.strictObject({ customer: z.boolean().exactOptional(), amounts: z.boolean().exactOptional() }),
    ])
    .default(false),
  locale: locale.default(DEFAULTS.locale),
  timeZone: timeZone.exactOptional(),
  digests: digestsSchema,
  digestTotal: digestTotalSchema.exactOptional(),
  maxDeadLetters: z.number().int().min(0).default(DEFAULTS.maxDeadLetters),
  stopTimeout: z.number().int().min(0).max(600_000).default(DEFAULTS.stopTimeout),
})

const addAccountSchema = z.strictObject({
  apiKey: z.union([
    z.string(),
    z.custom<ApiKey>((v) => typeof v === 'object' && v !== null && 'reveal' in v),
  ]),
  name: z.string().trim().min(1).max(100).exactOptional(),
  logo: z
    .union([z.custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'bytes' }), z.string().min(1)])
    .exactOptional(),
  strictPermissions: z.boolean().exactOptional(),
  webhookSecret: z.union([z.string(), z.array(z.string()).readonly()]).exactOptional(),
})

/** The options of an instance, every default filled in. */
export type ResolvedOptions = z.output<typeof optionsSchema>

/** The input of `addAccount()`, checked. */
export type ResolvedAddAccountInput = z.output<typeof addAccountSchema>

// The documented interfaces and the schemas cannot drift: every documented option is accepted, and
// the schemas accept no option that is not documented.
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false
const documented: [
  CashNotifyOptions extends z.input<typeof optionsSchema> ? true : false,
  AddAccountInput extends z.input<typeof addAccountSchema> ? true : false,
  SameKeys<CashNotifyOptions, z.input<typeof optionsSchema>>,
  SameKeys<AddAccountInput, z.input<typeof addAccountSchema>>,
] = [true, true, true, true]
void documented

/** Validates the options of `new CashNotify()`, defaults filled in. @throws {@link ConfigError} naming the option. */
export function parseCashNotifyOptions(input: CashNotifyOptions | undefined): ResolvedOptions {
  return parseOptions(optionsSchema, input)
}

/** Validates the input of `addAccount()`. @throws {@link ConfigError} naming the field. */
export function parseAddAccountInput(input: AddAccountInput): ResolvedAddAccountInput {
  return parseOptions(addAccountSchema, input, { what: 'field' })
}
