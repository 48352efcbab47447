/**
 * Connections to Redis, of two kinds: `commands` fail fast while Redis is away (a lease must never be
 * believed renewed when Redis did not answer), `queue` ones wait for Redis to return (what BullMQ's
 * workers require). Both reconnect by themselves; only the masked URL reaches errors and logs.
 */
import type { Logger } from '@cashnotify/core/notifier'
import { Redis } from 'ioredis'
import { redisUnavailable } from './errors.js'
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
}

/** Waits between reconnection attempts: quick at first, then every 2 s at most. */
const reconnectDelay = (attempt: number): number => Math.min(attempt * 100, 2000)

/** A new client, not connected yet. */
export function createRedis(options: ConnectOptions): Redis {
  const failFast = options.kind === 'commands'
  const client = new Redis(options.url, {
    lazyConnect: true,
    connectionName: options.name,
    connectTimeout: options.connectTimeoutMs,
    retryStrategy: reconnectDelay,
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
