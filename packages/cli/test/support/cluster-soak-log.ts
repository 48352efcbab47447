/**
 * What the cluster soak reads in the simulator's request log: each account's polls, by which process
 * (and which life of it) sent them, the runs of one process's polls and the overlaps between them, and
 * the busiest second of each account.
 */
import type { RequestLogEntry } from '@cashnotify/stripe-simulator'
import type { Life } from './cluster-soak-parts.js'

/** One poll of an account: a read of its events since the cursor. */
export interface Poll {
  readonly at: number
  readonly owner: string
  /** The life of `owner` that sent it: its index among that process's lives. */
  readonly life: number
}

/**
 * Whether `entry` is a poll: `GET /v1/events` since a cursor (`created[gte]`), which only the holder of
 * the account's lease sends. The key check's probe (`limit` alone) is sent by every process at start,
 * before it joins the cluster, and the one-off count of payments asks for one `type`: neither is a poll.
 */
export function isPoll(entry: RequestLogEntry): boolean {
  return (
    entry.endpoint === 'GET /v1/events' &&
    entry.params.includes('created[gte]') &&
    !entry.params.includes('type')
  )
}

/** Which life of `owner` was running at `at`: a life starts after the one before it ended. */
function lifeAt(lives: readonly Life[], owner: string, at: number): number {
  return lives.filter((life) => life.processId === owner && life.from <= at).length - 1
}

/** Each account's polls in the order the simulator took them, from `since` on. */
export function pollsByAccount(
  log: readonly RequestLogEntry[],
  ownerOf: (entry: RequestLogEntry) => string | undefined,
  lives: readonly Life[],
  since: number,
): Map<string, Poll[]> {
  const byAccount = new Map<string, Poll[]>()
  for (const entry of log) {
    if (entry.at < since || entry.account === null || !isPoll(entry)) continue
    const owner = ownerOf(entry) ?? '?'
    const polls = byAccount.get(entry.account) ?? []
    polls.push({ at: entry.at, owner, life: lifeAt(lives, owner, entry.at) })
    byAccount.set(entry.account, polls)
  }
  return byAccount
}

/** A run: consecutive polls of one account by one process. */
export interface Run {
  readonly owner: string
  readonly first: number
  readonly last: number
  readonly polls: number
}

/** The runs of `polls`, in order: a change of run is a handover of the account. */
export function runsOf(polls: readonly Poll[]): Run[] {
  const runs: Run[] = []
  for (const poll of polls) {
    const run = runs.at(-1)
    if (run?.owner === poll.owner) runs[runs.length - 1] = { ...run, last: poll.at, polls: run.polls + 1 }
    else runs.push({ owner: poll.owner, first: poll.at, last: poll.at, polls: 1 })
  }
  return runs
}

/** Two polls of one account at the same moment: `other` polled between two polls of `owner`'s one life. */
export interface Overlap {
  readonly owner: string
  readonly life: number
  readonly between: readonly [number, number]
  readonly other: string
  readonly at: number
}

/**
 * Where `polls` show two processes polling the account at once. A holder polls every second or so; for
 * it to poll again after another process did, it must have lost the lease and won it back. Winning back
 * what another holds waits for that one's lease to lapse (a TTL from its claim, which came after our
 * last poll), or for it to release the account to us, which takes a join and a death within one TTL.
 * So another process's poll between two polls of one life that are less than `leaseTtlMs` apart means
 * both were polling: that is an overlap. Between lives (a restart) anything may happen.
 */
export function overlapsOf(polls: readonly Poll[], leaseTtlMs: number): Overlap[] {
  const overlaps: Overlap[] = []
  const lastOf = new Map<string, { index: number; at: number }>()
  polls.forEach((poll, index) => {
    const key = `${poll.owner}#${poll.life}`
    const previous = lastOf.get(key)
    if (previous && poll.at - previous.at < leaseTtlMs) {
      for (const between of polls.slice(previous.index + 1, index))
        if (between.owner !== poll.owner)
          overlaps.push({
            owner: poll.owner,
            life: poll.life,
            between: [previous.at, poll.at],
            other: between.owner,
            at: between.at,
          })
    }
    lastOf.set(key, { index, at: poll.at })
  })
  return overlaps
}

/** The most requests of `account` the simulator took in any 1000 ms from `since` on. */
export function busiestSecond(log: readonly RequestLogEntry[], account: string, since: number): number {
  const times = log.filter((entry) => entry.account === account && entry.at >= since).map((entry) => entry.at)
  let most = 0
  for (let end = 0, start = 0; end < times.length; end++) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= 1000) start++
    most = Math.max(most, end - start + 1)
  }
  return most
}
