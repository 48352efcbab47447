/** Bench processes of their own (the simulator, a receiver, a watcher), spoken to by lines. */
import { spawn } from 'node:child_process'
import { createInterface, type Interface } from 'node:readline'
import { fileURLToPath } from 'node:url'

const AS_SHIPPED = fileURLToPath(new URL('./as-shipped.ts', import.meta.url))

/** A child running a bench script: its stdout read by line, its stdin a pipe it ends with. */
export interface BenchChild {
  readonly lines: Interface
  readonly stdin: NodeJS.WritableStream
}

/** Spawns `node --import tsx <script> …args`, source maps off as shipped code runs; its stderr is the parent's. */
export function spawnBench(script: string, args: readonly string[] = []): BenchChild {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', AS_SHIPPED, script, ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  })
  child.stdin.on('error', () => undefined)
  return { lines: createInterface({ input: child.stdout }), stdin: child.stdin }
}

/** The child's next line of stdout. */
export function nextLine(lines: Interface): Promise<string> {
  return new Promise((resolve, reject) => {
    const closed = (): void => reject(new Error('[bench] A child process ended without answering.'))
    lines.once('close', closed)
    lines.once('line', (line) => {
      lines.off('close', closed)
      resolve(line)
    })
  })
}
