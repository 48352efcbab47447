import { type ChildProcess, spawn } from 'node:child_process'
import type { Spawn } from '../../src/index.js'

/** One command a notifier ran. */
export interface SpawnedCommand {
  readonly command: string
  readonly args: readonly string[]
  readonly child: ChildProcess
}

/**
 * The real spawn, recording what it starts: tests check the command lines and that children are gone.
 * `next()` resolves when the next command starts.
 */
export function recordingSpawn(): {
  spawn: Spawn
  spawned: SpawnedCommand[]
  next(): Promise<SpawnedCommand>
} {
  const spawned: SpawnedCommand[] = []
  const waiting: Array<(command: SpawnedCommand) => void> = []
  return {
    spawned,
    next: () => new Promise((resolve) => waiting.push(resolve)),
    spawn: (command, args, options) => {
      const child = spawn(command, args, options)
      const record = { command, args, child }
      spawned.push(record)
      for (const resolve of waiting.splice(0)) resolve(record)
      return child
    },
  }
}

/**
 * A stand-in for a program that cannot run here (osascript, powershell.exe): records the command line and
 * starts a Node process that writes `stderr` and exits with `code` instead.
 */
export function fakeSpawn(result: { code?: number; stderr?: string } = {}): {
  spawn: Spawn
  calls: Array<{ command: string; args: readonly string[] }>
} {
  const calls: Array<{ command: string; args: readonly string[] }> = []
  return {
    calls,
    spawn: (command, args, options) => {
      calls.push({ command, args })
      const script = `process.stderr.write(${JSON.stringify(result.stderr ?? '')}); process.exitCode = ${result.code ?? 0}`
      return spawn(process.execPath, ['-e', script], { ...options, env: process.env })
    },
  }
}

/** Whether a child process has ended (exited or was killed). */
export function ended(child: ChildProcess): boolean {
  return child.exitCode !== null || child.signalCode !== null
}
