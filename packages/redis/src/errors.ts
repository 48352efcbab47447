/**
 * The errors of clustered mode. Each is a core `CashNotifyError` (one base class for the whole SDK); its
 * `reason` says which Redis-side failure it is, since core's `code` union has no Redis codes yet.
 * Messages name the Redis URL masked, never its password.
 */
import { CashNotifyError } from '@cashnotify/core/notifier'

/** Why a {@link RedisClusterError} was thrown. */
export type RedisClusterErrorReason =
  /** Redis could not be reached, or stopped answering. */
  | 'redis_unavailable'
  /** Another cluster with a different configuration uses the same key prefix. */
  | 'prefix_conflict'
  /** A write was refused because its lease was lost: another process holds the resource now. */
  | 'lease_lost'

/** A failure of clustered mode; see {@link RedisClusterError.reason}. */
export class RedisClusterError extends CashNotifyError {
  /** Which failure this is. */
  readonly reason: RedisClusterErrorReason

  constructor(message: string, options: { reason: RedisClusterErrorReason; cause?: unknown }) {
    super(`[redis] ${message}`, {
      code: options.reason === 'prefix_conflict' ? 'config_invalid' : 'internal',
      retryable: options.reason === 'redis_unavailable',
      cause: options.cause,
    })
    this.name = 'RedisClusterError'
    this.reason = options.reason
  }
}

/** Redis did not answer at `maskedUrl`; `detail` is the client's reason, already scrubbed. */
export function redisUnavailable(maskedUrl: string, detail: string, cause: unknown): RedisClusterError {
  return new RedisClusterError(
    `Could not reach Redis at ${maskedUrl} (${detail}). Check that redis-server runs there and that the ` +
      'URL, password and TLS settings are right.',
    { reason: 'redis_unavailable', cause },
  )
}

/** A fenced write came after the lease on `resource` passed to another holder. */
export function leaseLost(resource: string, token: number): RedisClusterError {
  return new RedisClusterError(
    `The lease on ${resource} (fencing token ${token}) is no longer held: another process took it over, ` +
      'so this write was refused. Stop working on it; it is not retried.',
    { reason: 'lease_lost' },
  )
}
