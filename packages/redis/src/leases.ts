/**
 * Leases on named resources (accounts), with fencing: whoever holds a resource's lease works on it, and
 * each claim's token is greater than every token before it, so a write checked against the token (see
 * {@link Leases.fencedSet}) is refused once a paused holder has been replaced.
 */
import type { Redis } from 'ioredis'
import { leaseLost } from './errors.js'
import type { ClusterKeys } from './keys.js'
import { CLAIM, FENCED_WRITE, RELEASE, RENEW } from './lease-scripts.js'

/** A lease this process holds. */
export interface Lease {
  /** What is leased, e.g. an account's ref. */
  readonly resource: string
  /** The fencing token: strictly greater than the token of every earlier claim of the resource. */
  readonly token: number
  /**
   * Until when, on this process's clock, the lease is certainly still held: the TTL counted from before
   * the claim or renewal was sent, so network delay can only make it err early.
   */
  readonly validUntil: number
}

/** What {@link Leases.claim} found. */
export type ClaimResult =
  | { readonly claimed: true; readonly lease: Lease }
  | { readonly claimed: false; readonly holder: string; readonly token: number }

/** Options of {@link Leases}. */
export interface LeasesOptions {
  /** This process's id, as other processes see it. */
  readonly holder: string
  /** How long a lease lasts unless renewed, in ms. */
  readonly ttlMs: number
  /** The clock `validUntil` is read against. */
  readonly now: () => number
}

/** Claims, renews and releases leases, and writes under their fence. */
export class Leases {
  readonly #redis: Redis
  readonly #keys: ClusterKeys
  readonly #options: LeasesOptions

  constructor(redis: Redis, keys: ClusterKeys, options: LeasesOptions) {
    this.#redis = redis
    this.#keys = keys
    this.#options = options
  }

  /** This process's id. */
  get holder(): string {
    return this.#options.holder
  }

  /** Claims `resource` if it is free (or already this holder's, then renewed with its token kept). */
  async claim(resource: string): Promise<ClaimResult> {
    const sentAt = this.#options.now()
    const keys = [this.#keys.lease(resource), this.#keys.fence(resource)]
    const reply = (await CLAIM.run(this.#redis, keys, [this.#options.holder, this.#options.ttlMs])) as [
      number,
      number,
      string?,
    ]
    const [claimed, token, holder] = reply
    if (claimed === 1)
      return { claimed: true, lease: { resource, token, validUntil: sentAt + this.#options.ttlMs } }
    return { claimed: false, holder: holder ?? '', token }
  }

  /** Extends a lease: the renewed lease, or undefined when it was lost (expired, or claimed by another). */
  async renew(lease: Lease): Promise<Lease | undefined> {
    const sentAt = this.#options.now()
    const args = [this.#options.holder, lease.token, this.#options.ttlMs]
    const renewed = await RENEW.run(this.#redis, [this.#keys.lease(lease.resource)], args)
    return renewed === 1 ? { ...lease, validUntil: sentAt + this.#options.ttlMs } : undefined
  }

  /** Gives a lease up at once, so another process can claim it without waiting for the TTL. */
  async release(lease: Lease): Promise<boolean> {
    const args = [this.#options.holder, lease.token]
    return (await RELEASE.run(this.#redis, [this.#keys.lease(lease.resource)], args)) === 1
  }

  /** Who holds `resource` now, with which token and for how much longer (ms); undefined when free. */
  async holderOf(resource: string): Promise<{ holder: string; token: number; ttlMs: number } | undefined> {
    const key = this.#keys.lease(resource)
    const [fields, ttlMs] = await Promise.all([
      this.#redis.hmget(key, 'holder', 'token'),
      this.#redis.pttl(key),
    ])
    const [holder, token] = fields
    if (holder === null || holder === undefined || token === null || token === undefined) return undefined
    return { holder, token: Number(token), ttlMs }
  }

  /** Whether `lease` is still the resource's current one, in Redis. */
  async isCurrent(lease: Lease): Promise<boolean> {
    const token = await this.#redis.hget(this.#keys.lease(lease.resource), 'token')
    return token === String(lease.token)
  }

  /**
   * Sets `key` to `value` only if `lease` is still current, in one atomic step.
   * @throws `RedisClusterError` (`lease_lost`) when another holder has claimed the resource since.
   */
  async fencedSet(lease: Lease, key: string, value: string, ttlMs = 0): Promise<void> {
    await this.#fenced(lease, key, 'set', value, ttlMs)
  }

  /**
   * Deletes `key` only if `lease` is still current.
   * @throws `RedisClusterError` (`lease_lost`) when another holder has claimed the resource since.
   */
  async fencedDelete(lease: Lease, key: string): Promise<void> {
    await this.#fenced(lease, key, 'del', '', 0)
  }

  async #fenced(lease: Lease, key: string, mode: 'set' | 'del', value: string, ttlMs: number): Promise<void> {
    const keys = [this.#keys.lease(lease.resource), key]
    const written = await FENCED_WRITE.run(this.#redis, keys, [
      lease.token,
      mode,
      value,
      Math.max(0, Math.ceil(ttlMs)),
    ])
    if (written !== 1) throw leaseLost(lease.resource, lease.token)
  }
}
