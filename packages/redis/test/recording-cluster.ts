/**
 * CashNotify instances on a `redisCluster()` of any Redis URL (one with a password too), each recording
 * what it emitted, notified, reported and logged, every level; shops on the Stripe simulator served over
 * HTTP, with one key per instance. For the tests of losing Redis and of removing accounts.
 */
import {
  CashNotify,
  type CashNotifyCluster,
  type Logger,
  type Notification,
  type Notifier,
  REQUIRED_PERMISSIONS,
} from '@cashnotify/core'
import { type RequestLogEntry, StripeSimulator } from '@cashnotify/stripe-simulator'
import { type RedisCluster, redisCluster } from '../src/cluster.js'

/** Every text a value carries: messages, stacks and causes of errors, and every field of objects. */
export function textOf(value: unknown, depth = 0): string {
  if (depth > 4) return ''
  if (value instanceof Error)
    return [value.message, value.stack ?? '', textOf(value.cause, depth + 1)].join('\n')
  if (Array.isArray(value)) return value.map((item) => textOf(item, depth + 1)).join('\n')
  if (typeof value === 'object' && value !== null)
    return Object.values(value)
      .map((item) => textOf(item, depth + 1))
      .join('\n')
  return String(value)
}

/** A logger that keeps every line it is given, at every level, as `<level> <message> <fields>`. */
function recordingLogger(lines: string[]): Logger {
  const keep =
    (level: string) =>
    (message: string, fields?: unknown): void =>
      void lines.push(`${level} ${message} ${textOf(fields)}`)
  return { debug: keep('debug'), info: keep('info'), warn: keep('warn'), error: keep('error') }
}

/** A notifier that records what it was given. */
function recordingNotifier(got: Notification[]): Notifier {
  return {
    name: 'recorder',
    async send(notification) {
      got.push(notification)
    },
  }
}

/** How an instance of {@link clusterInstance} is made. */
export interface InstanceOptions {
  readonly url: string
  readonly prefix: string
  readonly stripe: { host: string; port: number }
  readonly leaseTtlMs: number
  /** Whether it delivers sales to a recording notifier. @default true */
  readonly notify?: boolean
  /** What the instance is given of its cluster. @default the cluster itself */
  readonly wrap?: (cluster: RedisCluster) => CashNotifyCluster
}

/** One process of a cluster: a CashNotify on its own `redisCluster()`, recording everything it does. */
export function clusterInstance(name: string, options: InstanceOptions) {
  const logs: string[] = []
  const cluster: RedisCluster = redisCluster({
    url: options.url,
    prefix: options.prefix,
    processId: name,
    leaseTtlMs: options.leaseTtlMs,
    budget: { testPerSecond: 10 },
    connectTimeoutMs: 2000,
    logger: recordingLogger(logs),
  })
  const cn = new CashNotify({
    cluster: options.wrap?.(cluster) ?? cluster,
    stripe: { ...options.stripe, protocol: 'http' },
    pollInterval: 1000,
    random: () => 0.5,
    retry: { retries: 0 },
    readAllocation: { monthly: 1_000_000_000 },
    logger: recordingLogger(logs),
  })
  const sales: string[] = []
  const events: Array<{ id: string; backfill: boolean }> = []
  const notified: Notification[] = []
  const errors: Error[] = []
  const statuses: string[] = []
  if (options.notify !== false) cn.use(recordingNotifier(notified), { filter: { types: ['sale'] } })
  cn.on('sale', (sale) => void sales.push(sale.id))
  cn.on('stripe.event', (event, { backfill }) => void events.push({ id: event.id, backfill }))
  cn.on('error', (error) => void errors.push(error))
  cn.on('account.status', (change) => void statuses.push(`${change.status}: ${change.reason}`))
  return { name, cn, cluster, sales, events, notified, errors, statuses, logs }
}

/** Test-mode shops on a simulator served over HTTP, each with one restricted key per instance (a, b). */
export async function clusterShops(count: number, cleanup: Array<() => Promise<void>>) {
  const sim = new StripeSimulator({ seed: 140 })
  const server = await sim.listen()
  cleanup.push(() => server.close())
  const accounts = Array.from({ length: count }, (_, i) => {
    const id = sim.createAccount({ businessName: `Shop ${i}` }).id
    const key = (): string =>
      sim.createKey({ account: id, kind: 'restricted', mode: 'test', permissions: REQUIRED_PERMISSIONS })
    return { id, keys: { a: key(), b: key() } }
  })
  /** The polls of events (GET /v1/events) sent at or after `since`, and before `before`. */
  const polls = (since: number, before = Number.POSITIVE_INFINITY): RequestLogEntry[] =>
    sim.requests.log.filter(
      (entry) => entry.endpoint === 'GET /v1/events' && entry.at >= since && entry.at < before,
    )
  /** Whether `key` sent a poll of events at or after `since` (the log keeps a key's last 4 characters). */
  const polledWith = (key: string, since: number): boolean =>
    polls(since).some((entry) => entry.key?.slice(-4) === key.slice(-4))
  /** A sale on every shop. */
  const sell = (amount: number): void => {
    for (const { id } of accounts) sim.business(id).sale({ amount, currency: 'usd' })
  }
  return { sim, stripe: { host: server.host, port: server.port }, accounts, polls, polledWith, sell }
}
