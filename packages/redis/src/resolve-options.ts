/**
 * The options checked once, with core's `parseOptions`: every problem listed at once, and the URL never
 * echoed (it holds the password), only its scheme.
 */
import { hostname } from 'node:os'
import { type Logger, parseOptions } from '@cashnotify/core/notifier'
import { z } from 'zod'
import type { ClusterFingerprint } from './cluster-config.js'
import { DELIVERY_DEFAULTS, type DeliveryOptions } from './delivery/options.js'
import { NAME, type RedisClusterOptions } from './options.js'
import { maskRedisUrl } from './redis-url.js'
import { BUDGET_DEFAULTS, type SharedBudgetOptions } from './shared-budget.js'

/** The options once checked, with their defaults. */
export interface ResolvedOptions {
  readonly url: string
  /** The URL as messages show it. */
  readonly maskedUrl: string
  readonly prefix: string
  readonly processId: string
  readonly leaseTtlMs: number
  readonly budget: Required<SharedBudgetOptions>
  readonly delivery: Required<DeliveryOptions>
  readonly fingerprint: ClusterFingerprint
  readonly replaceConfig: boolean
  readonly connectTimeoutMs: number
  readonly logger: Logger
}

/** Warnings and errors to the console, as core logs by default. */
const consoleLogger: Logger = Object.freeze({
  debug() {},
  info() {},
  warn: (message: string) => console.warn(message),
  error: (message: string) => console.error(message),
})

const url = z.custom<string>().check((payload) => {
  const { value } = payload
  const what = 'a `redis://` or `rediss://` URL, e.g. `redis://127.0.0.1:6379`'
  const ok = typeof value === 'string' && URL.canParse(value) && /^rediss?:$/.test(new URL(value).protocol)
  if (ok) return
  const got =
    typeof value === 'string' && URL.canParse(value)
      ? `${new URL(value).protocol}//…`
      : value === ''
        ? ''
        : typeof value === 'string'
          ? '…'
          : value
  payload.issues.push({ code: 'custom', message: what, input: got, path: [] })
})

const count = (max: number) => z.number().int().min(1).max(max)
const ms = (min: number, max: number) => z.number().int().min(min).max(max)

const schema = z.strictObject({
  url,
  prefix: z
    .string()
    .regex(/^[A-Za-z0-9_.{}-]+(:[A-Za-z0-9_.{}-]+)*$/, 'letters, digits, `_.-{}` and `:` between parts')
    .default('cashnotify'),
  processId: z.string().min(1).max(200).exactOptional(),
  leaseTtlMs: ms(100, 600_000).default(15_000),
  budget: z
    .strictObject({
      livePerSecond: count(100).exactOptional(),
      testPerSecond: count(100).exactOptional(),
      perEndpointPerSecond: count(100).exactOptional(),
    })
    .default({}),
  delivery: z
    .strictObject({
      attempts: count(100).exactOptional(),
      backoffMs: ms(1, 3_600_000).exactOptional(),
      maxBackoffMs: ms(1, 86_400_000).exactOptional(),
      jitter: z.number().min(0).max(1).exactOptional(),
      concurrency: count(1000).exactOptional(),
      keepDeliveredMs: ms(60_000, 90 * 86_400_000).exactOptional(),
    })
    .default({}),
  fingerprint: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  replaceConfig: z.boolean().default(false),
  connectTimeoutMs: ms(100, 120_000).default(5000),
  logger: z
    .custom<Logger>((value) => typeof (value as Logger | null)?.warn === 'function', 'a logger')
    .exactOptional(),
})

/**
 * Checks every option and fills in the defaults.
 * @throws `ConfigError` listing every problem, never echoing the URL.
 */
export function resolveOptions(options: RedisClusterOptions): ResolvedOptions {
  const parsed = parseOptions(schema, options, { name: NAME })
  const random = Math.random().toString(16).slice(2, 8)
  return {
    url: parsed.url,
    maskedUrl: maskRedisUrl(parsed.url),
    prefix: parsed.prefix,
    processId: parsed.processId ?? `${hostname()}:${process.pid}:${random}`,
    leaseTtlMs: parsed.leaseTtlMs,
    budget: { ...BUDGET_DEFAULTS, ...parsed.budget },
    delivery: { ...DELIVERY_DEFAULTS, ...parsed.delivery },
    fingerprint: parsed.fingerprint,
    replaceConfig: parsed.replaceConfig,
    connectTimeoutMs: parsed.connectTimeoutMs,
    logger: parsed.logger ?? consoleLogger,
  }
}

/** What every process of the cluster must share: the caller's fingerprint and the settings that divide work. */
export function fingerprintOf(options: ResolvedOptions): ClusterFingerprint {
  return {
    ...options.fingerprint,
    leaseTtlMs: options.leaseTtlMs,
    ...prefixed('budget.', options.budget),
    ...prefixed('delivery.', options.delivery),
  }
}

function prefixed(prefix: string, values: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.entries(values).map(([key, value]) => [`${prefix}${key}`, value]))
}
