/**
 * Fair division of resources (accounts) between the live processes: each aims for
 * ceil(resources / processes), claims free ones up to that and releases its extras when others join.
 * Which process prefers which resource comes from rendezvous hashing, so that a rebalance moves few
 * resources and every process agrees on who should give up what without talking to the others.
 */
import type { Lease, Leases } from './leases.js'
import type { Membership } from './membership.js'

/** The share each of `processes` processes aims for: enough that together they cover every resource. */
export function fairShare(resources: number, processes: number): number {
  return processes <= 0 ? resources : Math.ceil(resources / processes)
}

/** How much `holder` prefers `resource` (FNV-1a of both): higher first. */
export function preference(holder: string, resource: string): number {
  let hash = 0x811c9dc5
  const text = `${holder}\u0000${resource}`
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** What one {@link LeaseBalancer.tick} did. */
export interface BalanceResult {
  /** The live processes, this one included (none when it watches nothing). */
  readonly processes: number
  /** The share this process aims for. */
  readonly target: number
  /** The resources this process holds now. */
  readonly held: readonly string[]
  /** Newly claimed in this tick. */
  readonly claimed: readonly string[]
  /** Released in this tick: extras, or resources no longer in the list. */
  readonly released: readonly string[]
  /** Found lost in this tick: expired, or taken over by another process. */
  readonly lost: readonly string[]
}

/** Claims run this many at a time: a first tick over 10,000 accounts must not take 3,000 round trips. */
const CLAIM_BATCH = 64

/**
 * One process's share of the leases. Call {@link LeaseBalancer.tick} every third of the lease TTL or so:
 * it beats the heartbeat, renews what it holds, then claims or releases towards the fair share.
 */
export class LeaseBalancer {
  readonly #leases: Leases
  readonly #membership: Membership
  readonly #held = new Map<string, Lease>()

  constructor(leases: Leases, membership: Membership) {
    this.#leases = leases
    this.#membership = membership
  }

  /** The lease held on `resource`, if any (check `validUntil` before trusting it). */
  lease(resource: string): Lease | undefined {
    return this.#held.get(resource)
  }

  /**
   * One round: heartbeat, renewals, then claims or releases towards the fair share of `resources`.
   * `beforeRelease(resource)` is awaited before a held lease is given up: the work on it stops first.
   */
  async tick(
    resources: readonly string[],
    beforeRelease?: (resource: string) => Promise<void>,
  ): Promise<BalanceResult> {
    // A process that watches nothing is no member: counted, it would shrink everyone's share for nothing.
    const live = resources.length > 0 ? await this.#membership.beat() : await this.#leave()
    const target = fairShare(resources.length, live.length)
    const wanted = new Set(resources)
    const lost = await this.#renewAll()
    const released: string[] = []
    const holder = this.#leases.holder
    // Give up first what is no longer watched, then what this process prefers least.
    const extras = [...this.#held.keys()].sort(
      (a, b) =>
        Number(wanted.has(a)) - Number(wanted.has(b)) || preference(holder, a) - preference(holder, b),
    )
    for (const resource of extras) {
      if (wanted.has(resource) && this.#held.size <= target) break
      await beforeRelease?.(resource)
      await this.#release(resource)
      released.push(resource)
    }
    const claimed = await this.#claimUpTo(target, resources)
    return { processes: live.length, target, held: [...this.#held.keys()].sort(), claimed, released, lost }
  }

  /** Releases every lease and leaves the cluster: what a clean stop does. */
  async stop(): Promise<void> {
    await Promise.allSettled([...this.#held.keys()].map((resource) => this.#release(resource)))
    await this.#membership.leave()
  }

  async #leave(): Promise<string[]> {
    await this.#membership.leave()
    return []
  }

  async #renewAll(): Promise<string[]> {
    const lost: string[] = []
    await Promise.all(
      [...this.#held.values()].map(async (lease) => {
        const renewed = await this.#leases.renew(lease)
        if (renewed) this.#held.set(lease.resource, renewed)
        else {
          this.#held.delete(lease.resource)
          lost.push(lease.resource)
        }
      }),
    )
    return lost.sort()
  }

  async #release(resource: string): Promise<void> {
    const lease = this.#held.get(resource)
    this.#held.delete(resource)
    if (lease) await this.#leases.release(lease)
  }

  async #claimUpTo(target: number, resources: readonly string[]): Promise<string[]> {
    const holder = this.#leases.holder
    const candidates = resources
      .filter((resource) => !this.#held.has(resource))
      .sort((a, b) => preference(holder, b) - preference(holder, a))
    const claimed: string[] = []
    while (this.#held.size < target && candidates.length > 0) {
      const batch = candidates.splice(0, Math.min(CLAIM_BATCH, target - this.#held.size))
      const results = await Promise.all(batch.map((resource) => this.#leases.claim(resource)))
      for (const result of results) {
        if (!result.claimed) continue
        this.#held.set(result.lease.resource, result.lease)
        claimed.push(result.lease.resource)
      }
    }
    return claimed.sort()
  }
}
