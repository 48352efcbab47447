/**
 * The config file, as a zod schema: every field, its type and its bounds, in one place. The README's
 * config reference follows this file. Secrets are never values here, only where to find them
 * (`keyEnv`, `keyFile`, `secretEnv` …): see `secrets.ts`.
 */
import { DOMAIN_EVENT_TYPES } from '@cashnotify/core'
import { z } from 'zod'

/** Every domain event type a filter may name: core's list, so a new type is known here at once. */
export const EVENT_TYPES = DOMAIN_EVENT_TYPES

/** Notifier types the config knows. */
export const NOTIFIER_TYPES = ['console', 'desktop', 'webhook', 'email'] as const

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const envName = z.string().regex(ENV_NAME, { error: 'the name of an environment variable' })
const path = z.string().min(1)
const ms = (min: number, max: number): z.ZodNumber => z.number().int().min(min).max(max)

/** A field that must not be there: a secret written in the file. `use` says what to write instead. */
const forbidden = z.unknown().optional()

/** Which events a notifier gets (core's `DeliveryFilter`). */
const filter = z.strictObject({
  accounts: z
    .array(z.string().regex(/^acct_[A-Za-z0-9]+(\/(live|test))?$/, { error: 'acct_… or acct_…/live' }))
    .exactOptional(),
  types: z.array(z.enum(EVENT_TYPES)).min(1).exactOptional(),
  minAmount: z
    .record(
      z.string().regex(/^[a-z]{3}$/, { error: 'a lower-case currency code such as usd' }),
      z.number().int().min(0),
    )
    .exactOptional(),
  mode: z.enum(['live', 'test', 'both']).exactOptional(),
  backfill: z.boolean().exactOptional(),
  digests: z.boolean().exactOptional(),
})

/** A digest schedule (core's `DigestSchedule`); core checks the time zone and the rest again. */
const digestSchedule = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, { error: 'letters, digits, `_` or `-`' }),
  every: z.enum(['day', 'week']),
  at: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'a local time `HH:MM` such as `09:00`' })
    .exactOptional(),
  day: z.enum(['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday']).exactOptional(),
  timeZone: z.string().min(1).exactOptional(),
  scope: z.enum(['account', 'all', 'both']).exactOptional(),
})

const currency = z.string().regex(/^[a-z]{3}$/, { error: 'a lower-case currency code such as usd' })
const localTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'a local time `HH:MM` such as `22:00`' })

/** Notification rules (core's `NotificationRules`), top-level or a notifier's own; core checks them again. */
const rules = z.strictObject({
  quietHours: z
    .union([
      z.strictObject({ from: localTime, to: localTime, timeZone: z.string().min(1).exactOptional() }),
      z.literal(false),
    ])
    .exactOptional(),
  largeSale: z
    .union([
      z.strictObject({
        minAmount: z.record(currency, z.number().int().min(1)),
        bypassQuietHours: z.boolean().exactOptional(),
      }),
      z.literal(false),
    ])
    .exactOptional(),
  firstSaleOfDay: z.boolean().exactOptional(),
  milestones: z
    .union([z.record(currency, z.array(z.number().int().min(1)).min(1)), z.literal(false)])
    .exactOptional(),
  groupWithinSeconds: z.number().int().min(0).max(3600).exactOptional(),
  timeZone: z.string().min(1).exactOptional(),
})

/** What every notifier entry takes: its name and core's delivery options. */
const common = {
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: 'letters, digits, `.`, `_` or `-`' })
    .exactOptional(),
  filter: filter.exactOptional(),
  concurrency: z.number().int().min(1).max(100).exactOptional(),
  timeoutMs: ms(1, 600_000).exactOptional(),
  retry: z
    .strictObject({
      attempts: z.number().int().min(1).max(100).exactOptional(),
      baseDelayMs: ms(1, 3_600_000).exactOptional(),
      maxDelayMs: ms(1, 86_400_000).exactOptional(),
    })
    .exactOptional(),
  rules: z.union([rules, z.literal(false)]).exactOptional(),
}

const consoleNotifier = z.strictObject({ type: z.literal('console'), ...common })

const desktopNotifier = z.strictObject({
  type: z.literal('desktop'),
  ...common,
  appName: z.string().min(1).max(200).exactOptional(),
  sound: z
    .union([z.boolean(), z.string().min(1).max(200)], { error: 'true, false or a sound name' })
    .exactOptional(),
  urgency: z.enum(['low', 'normal', 'critical']).exactOptional(),
  expireMs: ms(0, 86_400_000).exactOptional(),
  openOnClick: z.boolean().exactOptional(),
  clickWaitMs: ms(1, 86_400_000).exactOptional(),
  cacheDir: path.exactOptional(),
})

const webhookNotifier = z.strictObject({
  type: z.literal('webhook'),
  ...common,
  url: z.url({ protocol: /^https?$/, message: 'an http or https URL' }).exactOptional(),
  urlEnv: envName.exactOptional(),
  secret: forbidden,
  secretEnv: envName.exactOptional(),
  secretFile: path.exactOptional(),
  format: z.enum(['json', 'slack', 'discord']).exactOptional(),
  headers: z.record(z.string(), z.string()).exactOptional(),
  includeStripeEvents: z.boolean().exactOptional(),
  username: z.string().min(1).max(80).exactOptional(),
})

const emailNotifier = z.strictObject({
  type: z.literal('email'),
  ...common,
  to: z.union([z.string().min(3), z.array(z.string().min(3)).min(1)], {
    error: 'an address or a list of addresses',
  }),
  from: z.string().min(3),
  smtp: z.strictObject({
    host: z.string().min(1),
    port: z.number().int().min(1).max(65_535).exactOptional(),
    secure: z.boolean().exactOptional(),
    requireTLS: z.boolean().exactOptional(),
    user: z.string().min(1).exactOptional(),
    password: forbidden,
    passwordEnv: envName.exactOptional(),
    passwordFile: path.exactOptional(),
    caFile: path.exactOptional(),
  }),
  batchMinutes: z.number().int().min(1).max(1440).exactOptional(),
  timeZone: z.string().min(1).exactOptional(),
})

/** One notifier of the config, told apart by `type`. */
export const notifierSchema = z.discriminatedUnion('type', [
  consoleNotifier,
  desktopNotifier,
  webhookNotifier,
  emailNotifier,
])

/** One watched account: where its key is, and what to call it. */
export const accountSchema = z.strictObject({
  keyEnv: envName.exactOptional(),
  keyFile: path.exactOptional(),
  key: forbidden,
  apiKey: forbidden,
  name: z.string().trim().min(1).max(100).exactOptional(),
  logo: path.exactOptional(),
  strictPermissions: z.boolean().exactOptional(),
  webhookSecret: forbidden,
  webhookSecretEnv: envName.exactOptional(),
  webhookSecretFile: path.exactOptional(),
})

/** Where the daemon takes Stripe's webhooks: its own HTTP server (put HTTPS in front of it for Stripe). */
const webhooks = z.strictObject({
  port: z.number().int().min(0).max(65_535),
  host: z.string().min(1).exactOptional(),
  path: z
    .string()
    .regex(/^\/[^\s?#]*$/, { error: 'a path such as /stripe/webhooks' })
    .exactOptional(),
  toleranceSeconds: z.number().int().min(1).max(3600).exactOptional(),
  reconcileIntervalMs: ms(60_000, 86_400_000).exactOptional(),
})

/**
 * A Redis store: clustered mode, any number of `cashnotify watch` processes on one Redis, each account
 * polled by one of them at a time (`@cashnotify/redis`). The URL comes from `redis`, or from the
 * environment variable `redisEnv` names when it holds a password.
 */
const redisStore = z.strictObject({
  redis: z
    .string()
    .regex(/^rediss?:\/\/\S+$/, { error: 'a redis:// or rediss:// URL' })
    .exactOptional(),
  redisEnv: envName.exactOptional(),
  prefix: z.string().min(1).max(100).exactOptional(),
  processId: z.string().min(1).max(200).exactOptional(),
  leaseTtlMs: ms(1000, 600_000).exactOptional(),
})

/** The whole config file. */
export const configSchema = z.strictObject({
  $schema: z.string().exactOptional(),
  accounts: z.array(accountSchema).min(1),
  notifiers: z.array(notifierSchema).exactOptional(),
  pollInterval: ms(1000, 3_600_000).exactOptional(),
  maxPollInterval: ms(1000, 86_400_000).exactOptional(),
  readAllocation: z
    .strictObject({
      share: z.number().gt(0).max(1).exactOptional(),
      monthly: z.number().int().min(1).exactOptional(),
    })
    .exactOptional(),
  webhooks: webhooks.exactOptional(),
  backfill: z.number().int().min(0).max(100).exactOptional(),
  store: z.union([path, redisStore], { error: 'a path, or { redis } / { redisEnv }' }).exactOptional(),
  stripeUrl: z.url({ protocol: /^https?$/, message: 'an http or https URL' }).exactOptional(),
  privacy: z
    .union(
      [
        z.boolean(),
        z.strictObject({ customer: z.boolean().exactOptional(), amounts: z.boolean().exactOptional() }),
      ],
      { error: 'true, false or { customer, amounts }' },
    )
    .exactOptional(),
  locale: z.string().min(2).exactOptional(),
  timeZone: z.string().min(1).exactOptional(),
  digests: z.array(digestSchedule).exactOptional(),
  rules: rules.exactOptional(),
  strictPermissions: z.boolean().exactOptional(),
  stopTimeoutMs: ms(0, 600_000).exactOptional(),
  log: z
    .strictObject({
      format: z.enum(['auto', 'text', 'json']).exactOptional(),
      level: z.enum(['debug', 'info', 'warn', 'error']).exactOptional(),
    })
    .exactOptional(),
})

/** A config file, as validated. */
export type Config = z.infer<typeof configSchema>
/** One account of the config. */
export type AccountConfig = z.infer<typeof accountSchema>
/** Where the daemon takes Stripe's webhooks. */
export type WebhooksConfig = z.infer<typeof webhooks>
/** One notifier of the config. */
export type NotifierConfig = z.infer<typeof notifierSchema>
/** The config's Redis store. */
export type RedisStoreConfig = z.infer<typeof redisStore>
/** The delivery filter of a notifier. */
export type FilterConfig = z.infer<typeof filter>
