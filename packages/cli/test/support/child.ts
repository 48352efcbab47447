import { type ChildProcess, spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { waitFor } from './harness.js'

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url))
const CLI = fileURLToPath(new URL('../../src/cli.ts', import.meta.url))

/** The CLI running as a child process, from its TypeScript sources (through tsx). */
export interface CliProcess {
  readonly child: ChildProcess
  /** Lines written to stdout, and to stderr, so far. */
  readonly stdout: string[]
  readonly stderr: string[]
  /** Resolves with the exit code (or the signal that ended it). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  /** Waits until a line of stdout or stderr matches. */
  line(pattern: RegExp, what: string, timeoutMs?: number): Promise<string>
  /** Kills it if it still runs. */
  kill(): void
}

function lines(stream: NodeJS.ReadableStream | null, into: string[]): void {
  let rest = ''
  stream?.setEncoding('utf8')
  stream?.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n')
    rest = parts.pop() ?? ''
    into.push(...parts)
  })
}

/** Starts `cashnotify <args>` with `env` added to the test process's environment. */
export function spawnCli(args: readonly string[], env: Record<string, string> = {}): CliProcess {
  return spawnProcess(['--import', 'tsx', CLI, ...args], {
    TSX_TSCONFIG_PATH: `${ROOT}tsconfig.json`,
    ...env,
  })
}

/** Starts `node <args>` (a script and its arguments), from the repository's root. */
export function spawnProcess(args: readonly string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stdout: string[] = []
  const stderr: string[] = []
  lines(child.stdout, stdout)
  lines(child.stderr, stderr)
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  )
  return {
    child,
    stdout,
    stderr,
    exited,
    async line(pattern, what, timeoutMs = 20_000) {
      const found = (): string | undefined => [...stdout, ...stderr].find((line) => pattern.test(line))
      await waitFor(() => found() !== undefined || child.exitCode !== null, what, timeoutMs)
      const line = found()
      if (line === undefined)
        throw new Error(`The CLI exited (${child.exitCode}) before ${what}:\n${stderr.join('\n')}`)
      return line
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    },
  }
}
