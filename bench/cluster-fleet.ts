/**
 * The clustered benches' processes: fleets of bench/cluster-process.ts children started together, and
 * what the kernel says each process (a child, the redis-server) used: CPU time and RSS from /proc.
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { type BenchChild, nextLine, spawnBench } from './children.js'
import type { ClusterChildReady, ClusterConfig } from './cluster-process.js'

/** One running child of a fleet. */
export interface FleetChild extends ClusterChildReady, BenchChild {
  /** Resolves once its stdout closed: it ended (or was killed). */
  readonly ended: Promise<void>
}

/** What a process had used at one moment. */
export interface ProcSample {
  /** Unix ms. */
  readonly at: number
  /** User and system CPU time so far, ms. */
  readonly cpuMs: number
  /** Resident set now (VmRSS) and at its peak (VmHWM), bytes. */
  readonly rss: number
  readonly peakRss: number
}

/** CPU share and memory of one process over a window. */
export interface ProcUse {
  /** CPU time ÷ wall time: 1 is one core busy all along. */
  readonly cpuShare: number
  readonly rss: number
  readonly peakRss: number
}

/**
 * Every CashNotify here is given this monthly read allocation (`readAllocation.monthly`): enough that
 * polls come at the poll interval. By default a shop with few payments rests at about 10 minutes.
 */
export const READ_ALLOCATION = 1_000_000_000

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100

/** Reads /proc/<pid>/stat (utime, stime) and /proc/<pid>/status (VmRSS, VmHWM). */
export function sampleProc(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
  // After "pid (comm) ": state is field 3, utime 14 and stime 15 (proc(5)).
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const bytes = (name: string): number =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024
  return {
    at: Date.now(),
    cpuMs: (ticks * 1000) / TICKS_PER_SECOND,
    rss: bytes('VmRSS'),
    peakRss: bytes('VmHWM'),
  }
}

/** What a process used between two samples of it. */
export function procUse(from: ProcSample, to: ProcSample): ProcUse {
  return { cpuShare: (to.cpuMs - from.cpuMs) / (to.at - from.at), rss: to.rss, peakRss: to.peakRss }
}

/** The pid of the redis-server on `port`, found by its process title (`redis-server 127.0.0.1:<port>`). */
export function redisServerPid(port: number): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let title = ''
    try {
      title = readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' ')
    } catch {
      continue // it ended meanwhile
    }
    if (title.startsWith('redis-server') && title.includes(`:${port}`)) return Number(entry)
  }
  throw new Error(`[bench] No redis-server process on port ${port} was found in /proc.`)
}

/** Spawns one child per config, all at once, and resolves once each added its accounts. */
export async function spawnFleet(configs: readonly ClusterConfig[]): Promise<FleetChild[]> {
  return Promise.all(
    configs.map(async (config) => {
      const child = spawnBench('bench/cluster-process.ts', [JSON.stringify(config)])
      const ended = new Promise<void>((resolve) => child.lines.once('close', resolve))
      const ready = JSON.parse(await nextLine(child.lines)) as ClusterChildReady
      return { ...child, ...ready, ended }
    }),
  )
}

/** Starts every child at once; resolves the earliest start, Unix ms. */
export async function startFleet(children: readonly FleetChild[]): Promise<number> {
  const started = await Promise.all(
    children.map(async (child) => {
      const line = nextLine(child.lines)
      child.stdin.write('start\n')
      return (JSON.parse(await line) as { startedAt: number }).startedAt
    }),
  )
  return Math.min(...started)
}

/** Stops the children still alive (their stdin closed); resolves their errors while watching, summed. */
export async function stopFleet(children: readonly FleetChild[]): Promise<number> {
  const errors = await Promise.all(
    children.map(async (child) => {
      // A child killed (or already stopped) says nothing more.
      const silent = '{"errors":0}'
      const line = Promise.race([nextLine(child.lines).catch(() => silent), child.ended.then(() => silent)])
      child.stdin.end()
      return (JSON.parse(await line) as { errors: number }).errors
    }),
  )
  return errors.reduce((a, b) => a + b, 0)
}

/** Waits `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)))
}
