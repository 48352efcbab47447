/**
 * Connections to Redis, of two kinds: `commands` fail fast while Redis is away (a lease must never be
 * believed renewed when Redis did not answer), `queue` ones wait for Redis to return (what BullMQ's
 * workers require). Both reconnect by themselves; only the masked URL reaches errors and logs.
 */
import type { Logger } from '@cashnotify/core/notifier'
import { Redis } from 'ioredis'
import { RedisClusterError, redisUnavailable } from './errors.js'
import { maskRedisUrl, scrubError, scrubUrl } from './redis-url.js'

/** How a connection behaves while Redis is away. */
export type ConnectionKind = 'commands' | 'queue'

/** Options of {@link connectRedis}. */
export interface ConnectOptions {
  /** `redis://` or `rediss://` URL, password included if any. */
  readonly url: string
  /** What the connection is for; `CLIENT LIST` shows it. */
  readonly name: string
  /** How it behaves while Redis is away. */
  readonly kind: ConnectionKind
  /** The longest the first connection may take, in ms. */
  readonly connectTimeoutMs: number
  /** Where losing and regaining Redis is logged. */
  readonly logger: Logger
  /**
   * The longest wait between reconnection attempts, in ms: how late a return of Redis may be noticed.
   * @default 2000
   */
  readonly maxReconnectDelayMs?: number
}

/** Waits between reconnection attempts: quick at first, then every `ceiling` ms at most. */
const reconnectDelay = (attempt: number, ceiling: number): number => Math.min(attempt * 100, ceiling)

/** A new client, not connected yet. */
export function createRedis(options: ConnectOptions): Redis {
  const failFast = options.kind === 'commands'
  const client = new Redis(options.url, {
    lazyConnect: true,
    connectionName: options.name,
    connectTimeout: options.connectTimeoutMs,
    retryStrategy: (attempt) => reconnectDelay(attempt, options.maxReconnectDelayMs ?? 2000),
    // BullMQ's blocking commands must wait for Redis; lease and budget commands must not.
    maxRetriesPerRequest: failFast ? 1 : null,
    enableOfflineQueue: !failFast,
  })
  watch(client, options)
  return client
}

/** Logs when a connection that was up is lost, and when it is back, once each, scrubbed. */
function watch(client: Redis, options: ConnectOptions): void {
  const masked = maskRedisUrl(options.url)
  let up = false
  let lost = false
  let lastError = ''
  // Always listened to: an 'error' event without a listener would crash the process.
  client.on('error', (error: unknown) => {
    lastError = error instanceof Error ? scrubUrl(error.message, options.url) : 'unknown error'
  })
  client.on('reconnecting', () => {
    if (!up || lost) return
    lost = true
    const detail = lastError === '' ? '' : ` (${lastError})`
    options.logger.warn(`[cashnotify] [redis] Lost ${masked} (${options.name})${detail}. Reconnecting.`)
  })
  client.on('ready', () => {
    if (lost) options.logger.info(`[cashnotify] [redis] Reconnected to ${masked} (${options.name}).`)
    up = true
    lost = false
    lastError = ''
  })
}

/**
 * A connected client.
 * @throws `RedisClusterError` (`redis_unavailable`) naming the masked URL when Redis does not answer in time.
 */
export async function connectRedis(options: ConnectOptions): Promise<Redis> {
  const client = createRedis(options)
  let lastError: unknown
  const remember = (error: unknown): void => {
    lastError = error
  }
  client.on('error', remember)
  let timer: NodeJS.Timeout | undefined
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${options.connectTimeoutMs} ms`)),
          options.connectTimeoutMs,
        )
      }),
    ])
    return client
  } catch (error) {
    client.disconnect()
    const cause = lastError ?? error
    const { code } = (cause ?? {}) as { code?: unknown }
    const message = cause instanceof Error ? scrubUrl(cause.message, options.url) : 'no answer'
    throw redisUnavailable(
      maskRedisUrl(options.url),
      typeof code === 'string' ? code : message,
      scrubError(cause, options.url),
    )
  } finally {
    clearTimeout(timer)
    client.off('error', remember)
  }
}

/** The URL `client` was made with, rebuilt from its options: its password included, to scrub it. */
function urlOf(client: Redis): string {
  const { host, port, db, username, password, tls } = client.options
  const user = encodeURIComponent(username ?? '')
  const auth = password ? `${user}:${encodeURIComponent(password)}@` : user === '' ? '' : `${user}@`
  return `${tls ? 'rediss' : 'redis'}://${auth}${host}:${port}${db ? `/${db}` : ''}`
}

/**
 * A command's failure on `client` as clustered mode reports it: `RedisClusterError` (`redis_unavailable`)
 * naming the masked URL, its cause scrubbed of the password; a `RedisClusterError` stays as it is.
 */
export function redisFailure(client: Redis, error: unknown): RedisClusterError {
  if (error instanceof RedisClusterError) return error
  const url = urlOf(client)
  const detail = error instanceof Error ? scrubUrl(error.message, url) : 'no answer'
  return redisUnavailable(maskRedisUrl(url), detail, scrubError(error, url))
}
