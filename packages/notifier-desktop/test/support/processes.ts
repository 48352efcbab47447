import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process'
import { constants } from 'node:fs'
import { access } from 'node:fs/promises'
import { delimiter, join } from 'node:path'

/** What to run when a program the desktop tests need is missing. */
export const INSTALL_HINT = 'apt-get install -y xvfb xauth dbus-x11 dunst libnotify-bin'

/** The programs the desktop tests start: a real X server, session bus and notification daemon. */
export const REQUIRED_PROGRAMS = [
  'Xvfb',
  'dbus-daemon',
  'dbus-monitor',
  'dbus-send',
  'dunst',
  'dunstctl',
  'notify-send',
  'stdbuf',
] as const

/** Fails (never skips) with an install hint when a program the tests need is not on PATH. */
export async function requirePrograms(programs: readonly string[] = REQUIRED_PROGRAMS): Promise<void> {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter(Boolean)
  const missing: string[] = []
  for (const program of programs) {
    const found = await Promise.any(dirs.map((dir) => access(join(dir, program), constants.X_OK))).then(
      () => true,
      () => false,
    )
    if (!found) missing.push(program)
  }
  if (missing.length > 0) {
    throw new Error(
      `The desktop notifier tests need a real notification daemon, but ${missing.join(', ')} ` +
        `${missing.length === 1 ? 'is' : 'are'} not on PATH. Install them: \`${INSTALL_HINT}\``,
    )
  }
}

/** A child process of the tests, with its output kept and a stop that waits for its exit. */
export class Child {
  readonly process: ChildProcess
  readonly exited: Promise<void>
  #stdout = ''
  #stderr = ''
  readonly #watchers = new Set<() => void>()

  constructor(
    readonly command: string,
    args: readonly string[],
    options: SpawnOptions = {},
  ) {
    this.process = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options })
    this.exited = new Promise((resolve) => {
      this.process.once('exit', () => resolve())
      // A program that could not be started emits 'error' and no 'exit'.
      this.process.once('error', () => this.process.pid === undefined && resolve())
    })
    this.process.once('error', (error) => {
      this.#stderr += `${error.message}\n`
      this.#notify()
    })
    this.process.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stdout += chunk
      this.#notify()
    })
    this.process.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.#stderr += chunk
    })
    void this.exited.then(() => this.#notify())
  }

  get stdout(): string {
    return this.#stdout
  }

  get stderr(): string {
    return this.#stderr
  }

  get running(): boolean {
    return (
      this.process.pid !== undefined && this.process.exitCode === null && this.process.signalCode === null
    )
  }

  /**
   * Waits until `test` returns something for the output read so far (checked on every chunk), failing
   * when the process exits first or after `timeoutMs`.
   */
  waitFor<T>(test: (stdout: string) => T | undefined, what: string, timeoutMs = 5_000): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = test(this.#stdout)
        if (found !== undefined) {
          done()
          resolve(found)
        } else if (!this.running) {
          done()
          reject(new Error(`${this.command} exited before ${what}. Its stderr:\n${this.#stderr}`))
        }
      }
      const timer = setTimeout(() => {
        done()
        reject(
          new Error(
            `Timed out after ${timeoutMs} ms waiting for ${what} from ${this.command}. ` +
              `Its stderr:\n${this.#stderr}\nThe end of its stdout:\n${this.#stdout.slice(-2000)}`,
          ),
        )
      }, timeoutMs)
      const done = (): void => {
        clearTimeout(timer)
        this.#watchers.delete(check)
      }
      this.#watchers.add(check)
      check()
    })
  }

  /** Sends SIGTERM (after SIGCONT, in case it was stopped), SIGKILL if it lingers, and waits for the exit. */
  async stop(): Promise<void> {
    if (!this.running) return this.exited
    this.process.kill('SIGCONT')
    this.process.kill('SIGTERM')
    const force = setTimeout(() => this.process.kill('SIGKILL'), 3_000)
    await this.exited
    clearTimeout(force)
  }

  #notify(): void {
    for (const watcher of [...this.#watchers]) watcher()
  }
}
