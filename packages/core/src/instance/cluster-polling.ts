/**
 * Clustered polling: every third of the lease TTL the instance asks its cluster which accounts it may
 * poll. An account whose lease it wins gets a fresh pipeline on the lease's fenced store, which loads
 * what the previous holder persisted (cursor, seen ids, held payments, reads); an account it gives up
 * stops polling before its lease is released.
 */
import type { PollState } from '../polling/poll-state.js'
import { CashNotifyError } from '../shared/errors.js'
import type { CashNotifyCluster } from './cluster.js'
import type { RemoveAccountOptions } from './options.js'
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

/**
 * What follows `cn.removeAccount()` once the account's polls stopped. Clustered, its lease is given up
 * at the next round. Unless `keepState`, this instance's digests of it are deleted, and alone everything
 * its pipeline kept. Clustered, that state is the cluster's and the other processes watching the account
 * go on from it: removed from one process, the account is only no longer watched there, unless
 * `deleteSharedState` asks for the shared state to go too.
 */
export async function retireAccount(
  watched: WatchedAccount,
  options: RemoveAccountOptions,
  parts: { cluster: ClusterPolling | undefined; digests: { forget(ref: string): Promise<unknown> } },
): Promise<void> {
  const { cluster, digests } = parts
  cluster?.drop(watched.snapshot.ref)
  if (options.keepState) return
  const pipeline = cluster ? options.deleteSharedState && cluster.forgetShared(watched) : watched.forget()
  await Promise.all([pipeline, digests.forget(watched.snapshot.ref)])
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
  /** Won leases whose pipeline is still loading its state, by ref. */
  readonly #winning = new Map<string, Promise<void>>()
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
    await Promise.all(this.#winning.values())
  }

  /** Stops the rounds and the leased pollers, then releases the leases and leaves the cluster. */
  async stop(): Promise<void> {
    this.#started = false
    clearTimeout(this.#timer)
    await this.#ticking
    await Promise.all(this.#winning.values())
    await Promise.all([...this.#held.keys()].map((ref) => this.#yield(ref)))
    await this.#cluster.close()
  }

  /**
   * Forgets the pipeline of an account removed from the instance (its polls are stopped): added again,
   * it gets a new one. Its lease is released at the next round, as it is no longer among the accounts.
   */
  drop(ref: string): void {
    this.#held.delete(ref)
  }

  /**
   * Deletes what the account's pipelines keep in the shared store, whichever process wrote it. Its polls
   * here are stopped; a process that still watches it would go on writing, so none should.
   */
  async forgetShared(watched: WatchedAccount): Promise<void> {
    const { snapshot, key, gateway, overrides, secrets } = watched
    const { pipeline, hooks } = this.#parts
    const shared = { ...pipeline, store: this.#cluster.store }
    await new WatchedAccount({ snapshot, key, gateway, overrides, secrets }, shared, hooks).forget()
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
    // A won lease's pipeline loads its state aside: a slow store (Redis just back) must not hold up the
    // next round, or the leases held would lapse meanwhile and another process poll them too.
    for (const [ref, token] of assigned) {
      if (this.#held.get(ref)?.token === token || this.#winning.has(ref)) continue
      const winning = this.#win(ref, token)
        .catch((error: unknown) => this.#report(error, `could not take ${ref} over`))
        .finally(() => this.#winning.delete(ref))
      this.#winning.set(ref, winning)
    }
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
    if (this.#parts.running()) watched.poller.start(this.#firstPoll(await watched.poller.init()))
  }

  /**
   * When a won account is first polled here: when its last poll says it is due, as its previous holder
   * would have, not at once. Those due already (a dead holder's) are spread over a sixth of the lease
   * TTL at most, so a takeover stays within 1.5 TTL (the lease runs out, the next round, the spread);
   * accounts never polled are spread over one interval, as a lone instance starts them.
   */
  #firstPoll(state: PollState): number {
    const { pollInterval, random, now } = this.#parts.pipeline.poller
    if (!state.backfilled) return Math.round(random() * pollInterval)
    const due = state.polledAt + pollInterval - now()
    return Math.round(due > 0 ? due : random() * Math.min(pollInterval, this.#cluster.leaseTtlMs / 6))
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
