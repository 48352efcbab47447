/**
 * Clustered polling: every third of the lease TTL the instance asks its cluster which accounts it may
 * poll. An account whose lease it wins gets a fresh pipeline on the lease's fenced store, which loads
 * what the previous holder persisted (cursor, seen ids, held payments, reads); an account it gives up
 * stops polling before its lease is released.
 */
import { CashNotifyError } from '../shared/errors.js'
import type { CashNotifyCluster } from './cluster.js'
import type { PipelineSettings } from './pipeline-settings.js'
import { type PipelineHooks, WatchedAccount } from './watched-account.js'

export { instanceStore } from './cluster.js'

/** The instance's clustered polling, or none when it runs alone. */
export function clusterPolling(
  cluster: CashNotifyCluster | undefined,
  accounts: ClusterParts['accounts'],
  pipeline: PipelineSettings,
  hooks: PipelineHooks,
  running: () => boolean,
): ClusterPolling | undefined {
  return cluster && new ClusterPolling(cluster, { accounts, pipeline, hooks, running })
}

/** The pipeline made for one lease. */
interface Held {
  readonly token: number
  readonly watched: WatchedAccount
}

/** What the instance lends its cluster's polling. */
export interface ClusterParts {
  /** The instance's accounts by ref: a won lease puts its pipeline there, in place of the idle one. */
  readonly accounts: Map<string, WatchedAccount>
  readonly pipeline: PipelineSettings
  readonly hooks: PipelineHooks
  /** Whether the instance is running (its pollers are started then). */
  readonly running: () => boolean
}

/** Which accounts this process polls, lease by lease; see the file's comment. */
export class ClusterPolling {
  readonly #cluster: CashNotifyCluster
  readonly #parts: ClusterParts
  readonly #held = new Map<string, Held>()
  #timer: ReturnType<typeof setTimeout> | undefined
  #ticking: Promise<void> = Promise.resolve()
  #started = false
  /** Whether the last round failed: a lost Redis is reported once, not every round. */
  #failing = false

  constructor(cluster: CashNotifyCluster, parts: ClusterParts) {
    this.#cluster = cluster
    this.#parts = parts
  }

  /** Joins the cluster and takes this process's first share of the accounts. */
  async start(): Promise<void> {
    await this.#cluster.start()
    this.#started = true
    await this.#tick()
  }

  /** Stops the rounds and the leased pollers, then releases the leases and leaves the cluster. */
  async stop(): Promise<void> {
    this.#started = false
    clearTimeout(this.#timer)
    await this.#ticking
    await Promise.all([...this.#held.keys()].map((ref) => this.#yield(ref)))
    await this.#cluster.close()
  }

  #tick(): Promise<void> {
    this.#ticking = this.#round().finally(() => {
      if (!this.#started) return
      const every = Math.max(1, Math.round(this.#cluster.leaseTtlMs / 3))
      this.#timer = setTimeout(() => void this.#tick(), every)
    })
    return this.#ticking
  }

  async #round(): Promise<void> {
    let assigned: ReadonlyMap<string, number>
    try {
      assigned = await this.#cluster.assign([...this.#parts.accounts.keys()], (ref) => this.#yield(ref))
    } catch (error) {
      // No lease is renewed: each one's polls stop by themselves once it is no longer certainly held.
      this.#report(error, 'could not renew its leases')
      return
    }
    this.#failing = false
    for (const [ref, held] of this.#held) if (assigned.get(ref) !== held.token) await this.#yield(ref)
    const won = [...assigned].filter(([ref, token]) => this.#held.get(ref)?.token !== token)
    await Promise.all(won.map(([ref, token]) => this.#win(ref, token)))
  }

  /** Stops polling an account here: before its lease is released, or once it was lost. */
  async #yield(ref: string): Promise<void> {
    const held = this.#held.get(ref)
    this.#held.delete(ref)
    await held?.watched.poller.stop()
  }

  /** A fresh pipeline for a won lease, on what the account's previous holder persisted. */
  async #win(ref: string, token: number): Promise<void> {
    const { accounts, pipeline, hooks } = this.#parts
    const current = accounts.get(ref)
    if (!current) return
    const { snapshot, key, gateway, overrides, secrets } = current
    const leased = (): boolean => this.#cluster.holds(ref, token)
    const watched = new WatchedAccount(
      { snapshot, key, gateway, overrides, secrets },
      { ...pipeline, store: this.#cluster.accountStore(ref, token), poller: { ...pipeline.poller, leased } },
      hooks,
    )
    gateway.shareBudget(this.#cluster.budget({ ref, mode: snapshot.mode }))
    try {
      await watched.init()
    } catch (error) {
      this.#report(error, `could not load the state of ${ref}`)
      return // tried again next round, while the lease is held
    }
    // Removed, stopped or lost meanwhile: the account stays as it is.
    if (accounts.get(ref) !== current || !this.#started || !leased()) return
    await current.poller.stop()
    accounts.set(ref, watched)
    this.#held.set(ref, { token, watched })
    if (this.#parts.running()) watched.poller.start()
  }

  #report(error: unknown, what: string): void {
    if (this.#failing) return
    this.#failing = true
    const { hooks } = this.#parts
    const reason = error instanceof Error ? error.message : String(error)
    hooks.error(
      error instanceof CashNotifyError
        ? error
        : new CashNotifyError(`The cluster ${what}: ${reason}`, { code: 'internal', cause: error }),
    )
  }
}
