import { z } from 'zod'
import type { NotifierOptions } from '../delivery/index.js'
import type { LookupCacheOptions } from '../enrich/lookups.js'
import { ConfigError } from '../shared/errors.js'
import type { FormatHook, PrivacyOptions } from '../delivery/format.js'
import type { ApiKey } from '../accounts/keys.js'
import type { Logger } from '../shared/logger.js'
import type { Notifier } from '../delivery/notifier.js'
import type { RequestBudgetOptions } from '../stripe/request-budget.js'
import type { RetryOptions } from '../stripe/retry.js'
import type { StripeConnectionOptions } from '../stripe/client.js'

/** The part of a Keyv store CashNotify uses; pass a `Keyv` instance. */
export interface KeyValueStore {
  /** Reads a value. */
  get(key: string): Promise<unknown>
  /** Writes a value, with an optional time to live in ms. */
  set(key: string, value: unknown, ttl?: number): Promise<unknown>
  /** Deletes a value. */
  delete(key: string): Promise<unknown>
}

/** A notifier, alone or with its delivery options (filter, concurrency, timeout, retries). */
export type NotifierEntry = Notifier | ({ readonly notifier: Notifier } & NotifierOptions)

/** Options of `new CashNotify(options)`. */
export interface CashNotifyOptions {
  /** Where state is kept (cursors, seen events, outbox): a Keyv instance. @default an in-memory Keyv */
  store?: KeyValueStore
  /** How often each account asks Stripe for new events, in ms (1 s to 1 h). @default 5000 */
  pollInterval?: number
  /** Where Stripe is: the simulator or a proxy. @default the real Stripe API */
  stripe?: StripeConnectionOptions
  /** Each account's request budget. @default below Stripe's limits */
  budget?: RequestBudgetOptions
  /** Retries of network failures, 5xx and 429. */
  retry?: RetryOptions
  /** Refuse accounts whose key lacks a required permission, instead of accepting them as degraded. @default false */
  strictPermissions?: boolean
  /** Where CashNotify logs; lines are redacted before they reach it. @default warnings and errors to the console */
  logger?: Logger
  /**
   * How far back each poll re-reads, in ms, to catch events that become visible late or share a second
   * with the last one read. Re-read events are recognised and never emitted twice. @default 60000
   */
  overlap?: number
  /** How many recent events a newly watched account emits with `backfill: true` (0 to 100). @default 50 */
  backfill?: number
  /** Longest wait between polls of a failing account, ms. @default 300000 */
  maxBackoff?: number
  /** The clock, ms since epoch (tests pass the simulator's). @default Date.now */
  now?: () => number
  /** Source of jitter in [0, 1). @default Math.random */
  random?: () => number
  /**
   * How long, in ms, a payment's newest event must be old before its sale is emitted without all of
   * its events: the events of one payment arrive within a second or two, and a sale waits for its
   * invoice this long at most (0 emits at once). @default 2000
   */
  settle?: number
  /** How long looked-up customers, products and subscriptions are reused, and how many are kept. */
  cache?: LookupCacheOptions
  /** Where notifications go: notifier objects, or `{ notifier, filter, concurrency, timeoutMs, retry }`. */
  notifiers?: readonly NotifierEntry[]
  /** Rewrites the default title and body of a notification. */
  format?: FormatHook
  /** Hide customer details (`true`), or choose: `{ customer, amounts }`. @default false */
  privacy?: boolean | PrivacyOptions
  /** Locale of amounts and dates in notifications. @default 'en-US' */
  locale?: string
  /** Time zone of dates in notifications. @default the system's */
  timeZone?: string
  /** Dead letters kept in the store; the oldest are dropped beyond. @default 1000 */
  maxDeadLetters?: number
  /** How long `stop()` waits for notifications being sent, ms. @default 10000 */
  stopTimeout?: number
}

/** Input of `cn.addAccount()`. */
export interface AddAccountInput {
  /** A restricted key (`rk_…`, recommended) or a secret key (`sk_…`). */
  apiKey: string | ApiKey
  /** A custom name, instead of the one from Stripe. */
  name?: string
  /** A custom logo: png, jpg, gif or ico bytes, or a path to such a file. */
  logo?: Uint8Array | string
  /** Refuse the key when a required permission is missing. @default the instance's `strictPermissions` */
  strictPermissions?: boolean
}

const positiveInt = z.number().int().positive()
const isFn = (value: unknown): boolean => typeof value === 'function'

const optionsSchema = z
  .object({
    store: z
      .custom<KeyValueStore>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          ['get', 'set', 'delete'].every((m) => isFn(Reflect.get(v, m))),
        { message: 'a Keyv instance (an object with get, set and delete)' },
      )
      .optional(),
    pollInterval: z.number().int().min(1000).max(3_600_000).optional(),
    stripe: z
      .strictObject({
        host: z.string().min(1).optional(),
        port: z.number().int().min(1).max(65_535).optional(),
        protocol: z.enum(['http', 'https']).optional(),
        timeout: positiveInt.optional(),
        fetch: z.custom<typeof fetch>(isFn, { message: 'a fetch function' }).optional(),
      })
      .optional(),
    budget: z
      .strictObject({
        livePerSecond: positiveInt.optional(),
        testPerSecond: positiveInt.optional(),
        perEndpointPerSecond: positiveInt.optional(),
        concurrency: positiveInt.optional(),
      })
      .optional(),
    retry: z
      .strictObject({
        retries: z.number().int().min(0).max(20).optional(),
        baseDelayMs: positiveInt.optional(),
        maxDelayMs: positiveInt.optional(),
        random: z.custom<() => number>(isFn, { message: 'a function' }).optional(),
      })
      .optional(),
    strictPermissions: z.boolean().optional(),
    overlap: z.number().int().min(1000).max(3_600_000).optional(),
    backfill: z.number().int().min(0).max(100).optional(),
    maxBackoff: z.number().int().min(1000).optional(),
    now: z.custom<() => number>(isFn, { message: 'a function' }).optional(),
    random: z.custom<() => number>(isFn, { message: 'a function' }).optional(),
    settle: z.number().int().min(0).max(60_000).optional(),
    cache: z
      .strictObject({
        ttlMs: positiveInt.optional(),
        subscriptionTtlMs: positiveInt.optional(),
        maxSize: positiveInt.optional(),
      })
      .optional(),
    notifiers: z
      .array(
        z.custom<NotifierEntry>(
          (v) => typeof v === 'object' && v !== null && ('notifier' in v || isFn(Reflect.get(v, 'send'))),
          { message: 'a notifier (an object with name and send) or { notifier, ...options }' },
        ),
      )
      .optional(),
    format: z.custom<FormatHook>(isFn, { message: 'a function' }).optional(),
    privacy: z
      .union([
        z.boolean(),
        z.strictObject({ customer: z.boolean().optional(), amounts: z.boolean().optional() }),
      ])
      .optional(),
    locale: z.string().min(2).optional(),
    timeZone: z.string().min(1).optional(),
    maxDeadLetters: z.number().int().min(0).optional(),
    stopTimeout: z.number().int().min(0).max(600_000).optional(),
    logger: z
      .custom<Logger>(
        (v) =>
          typeof v === 'object' &&
          v !== null &&
          ['debug', 'info', 'warn', 'error'].every((m) => isFn(Reflect.get(v, m))),
        { message: 'a logger (an object with debug, info, warn and error)' },
      )
      .optional(),
  })
  .strict()

const addAccountSchema = z.strictObject({
  apiKey: z.union([
    z.string(),
    z.custom<ApiKey>((v) => typeof v === 'object' && v !== null && 'reveal' in v),
  ]),
  name: z.string().trim().min(1).max(100).optional(),
  logo: z.union([z.instanceof(Uint8Array), z.string().min(1)]).optional(),
  strictPermissions: z.boolean().optional(),
})

function describeInput(input: unknown): string {
  if (input === undefined) return 'nothing'
  if (typeof input === 'string') return JSON.stringify(input.length > 40 ? `${input.slice(0, 40)}…` : input)
  if (typeof input === 'number' || typeof input === 'boolean') return String(input)
  return Array.isArray(input) ? 'an array' : typeof input
}

/** One zod issue in the house style: what was expected, what was got. */
function formatIssue(issue: z.core.$ZodIssue, what: string): string {
  const path = issue.path.map(String).join('.')
  const got = describeInput(issue.input)
  switch (issue.code) {
    case 'unrecognized_keys':
      return `Unknown ${what} ${issue.keys.map((k) => `\`${path ? `${path}.` : ''}${k}\``).join(', ')}.`
    case 'too_small':
      return `Expected \`${path}\` to be ${issue.inclusive === false ? 'greater than' : 'at least'} ${String(issue.minimum)}, got ${got}.`
    case 'too_big':
      return `Expected \`${path}\` to be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}, got ${got}.`
    case 'invalid_type':
      return `Expected \`${path}\` to be ${issue.expected === 'int' ? 'an integer' : `a ${issue.expected}`}, got ${got}.`
    default:
      return `Invalid \`${path}\`: expected ${issue.message}, got ${got}.`
  }
}

function parseWith<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const result = schema.safeParse(input ?? {}, { reportInput: true })
  if (result.success) return result.data
  const [first] = result.error.issues
  if (!first) throw new ConfigError(`Invalid ${what}.`)
  // The issue's `input` may hold an API key: the cause keeps everything but it.
  const { input: _input, ...issue } = first
  throw new ConfigError(formatIssue(first, what), { cause: issue })
}

/** Validates the options of `new CashNotify()`. @throws {@link ConfigError} naming the option. */
export function parseOptions(input: CashNotifyOptions | undefined): CashNotifyOptions {
  return parseWith(optionsSchema, input, 'option') as CashNotifyOptions
}

/** Validates the input of `addAccount()`. @throws {@link ConfigError} naming the field. */
export function parseAddAccountInput(input: AddAccountInput): AddAccountInput {
  return parseWith(addAccountSchema, input, 'field') as AddAccountInput
}
