import type { ChildProcess, SpawnOptions } from 'node:child_process'
import { constants } from 'node:fs'
import { access, stat } from 'node:fs/promises'
import { delimiter, isAbsolute, join } from 'node:path'
import type { Environment } from './options.js'

/**
 * Starts a command without a shell, as `spawn` from node:child_process does (the notifier passes an
 * absolute path, an argument array, `env`, `stdio` and `windowsHide`).
 */
export type Spawn = (command: string, args: readonly string[], options: SpawnOptions) => ChildProcess

/** How a command ended. */
export interface Exit {
  /** The exit code, `null` when a signal ended it. */
  readonly code: number | null
  /** The signal that ended it, if any. */
  readonly signal: NodeJS.Signals | null
  /** Everything it wrote to stdout. */
  readonly stdout: string
  /** Everything it wrote to stderr. */
  readonly stderr: string
}

/** Why {@link run} gave up on a command. */
export class CommandFailure extends Error {
  constructor(
    /** `not-found`: the program does not exist; `aborted`: the signal fired (the child was killed). */
    readonly reason: 'not-found' | 'aborted' | 'spawn-failed',
    /** The program. */
    readonly command: string,
    options: { cause?: unknown } = {},
  ) {
    super(`${command}: ${reason}`, options)
    this.name = 'CommandFailure'
  }
}

/** A command still running after {@link run} returned early (its `ready` test passed). */
export interface Running {
  readonly child: ChildProcess
  /** Resolves when it exits, with all its output (the part read before `ready` included). */
  readonly exited: Promise<Exit>
  /** Called with each complete stdout line read from now on. */
  onLine(listener: (line: string) => void): void
  /** Kills it (SIGTERM, then SIGKILL if it lingers) and waits for its exit. */
  stop(): Promise<Exit>
}

/** Options of {@link run}. */
export interface RunOptions {
  readonly spawn: Spawn
  readonly env: Environment
  /** Kills the command and rejects with a `CommandFailure('aborted')` when it fires. */
  readonly signal: AbortSignal
  /** Resolve as soon as this holds for the stdout read so far, leaving the command running. */
  readonly ready?: (stdout: string) => boolean
}

/** How long a killed child may linger after SIGTERM before it gets SIGKILL. */
const KILL_GRACE_MS = 2_000

/**
 * Runs a command to its end, or until `ready` says its output is enough. Abort kills it: the promise
 * rejects once the child is gone, so nothing is left behind.
 */
export function run(
  command: string,
  args: readonly string[],
  options: RunOptions,
): Promise<{ exit: Exit } | { running: Running }> {
  return new Promise((resolve, reject) => {
    if (options.signal.aborted) {
      reject(new CommandFailure('aborted', command, { cause: options.signal.reason }))
      return
    }
    let child: ChildProcess
    try {
      child = options.spawn(command, args, {
        env: { ...options.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        windowsHide: true,
      })
    } catch (error) {
      reject(new CommandFailure(isNotFound(error) ? 'not-found' : 'spawn-failed', command, { cause: error }))
      return
    }
    let stdout = ''
    let stderr = ''
    const exited = new Promise<Exit>((resolveExit) => {
      child.once('close', (code, signal) => resolveExit({ code, signal, stdout, stderr }))
    })
    const lines = new LineBuffer()
    let settled = false
    const settle = (): boolean => {
      if (settled) return false
      settled = true
      options.signal.removeEventListener('abort', onAbort)
      return true
    }
    child.stdout?.setEncoding('utf8')
    child.stderr?.setEncoding('utf8')
    child.stderr?.on('data', (chunk: string) => {
      stderr += chunk
    })
    child.stdout?.on('data', (chunk: string) => {
      stdout += chunk
      lines.push(chunk)
      if (!settled && options.ready?.(stdout) && settle()) {
        const from = lines.count
        resolve({
          running: {
            child,
            exited,
            onLine: (listener) => lines.listen(listener, from),
            stop: () => kill(child, exited),
          },
        })
      }
    })
    // Without a listener an unhandled 'error' would throw; 'close' still follows a spawn error.
    child.once('error', (error) => {
      if (settle()) {
        reject(
          new CommandFailure(isNotFound(error) ? 'not-found' : 'spawn-failed', command, { cause: error }),
        )
      }
    })
    function onAbort(): void {
      if (!settle()) return
      void kill(child, exited).then(() =>
        reject(new CommandFailure('aborted', command, { cause: options.signal.reason })),
      )
    }
    options.signal.addEventListener('abort', onAbort, { once: true })
    void exited.then((exit) => {
      if (settle()) resolve({ exit })
    })
  })
}

/** Splits stdout into lines and hands them to listeners, replaying those read since a given line. */
class LineBuffer {
  readonly #lines: string[] = []
  readonly #listeners: Array<(line: string) => void> = []
  #partial = ''

  get count(): number {
    return this.#lines.length
  }

  push(chunk: string): void {
    const parts = (this.#partial + chunk).split('\n')
    this.#partial = parts.pop() ?? ''
    for (const line of parts) {
      this.#lines.push(line)
      for (const listener of this.#listeners) listener(line)
    }
  }

  listen(listener: (line: string) => void, from: number): void {
    for (const line of this.#lines.slice(from)) listener(line)
    this.#listeners.push(listener)
  }
}

/** Kills a child (SIGTERM, SIGKILL after a grace period) and waits for it to be gone. */
function kill(child: ChildProcess, exited: Promise<Exit>): Promise<Exit> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM')
    const force = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS)
    force.unref()
    void exited.finally(() => clearTimeout(force))
  }
  return exited
}

function isNotFound(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
}

/**
 * The absolute path of an executable found on the environment's `PATH`, or `undefined`. A name that is
 * already an absolute path is checked as is.
 */
export async function findExecutable(name: string, env: Environment): Promise<string | undefined> {
  const candidates = isAbsolute(name)
    ? [name]
    : (env.PATH ?? '')
        .split(delimiter)
        .filter((dir) => isAbsolute(dir))
        .map((dir) => join(dir, name))
  for (const candidate of candidates) {
    try {
      await access(candidate, constants.X_OK)
      if ((await stat(candidate)).isFile()) return candidate
    } catch {
      // not there, or not executable: try the next one
    }
  }
  return undefined
}
