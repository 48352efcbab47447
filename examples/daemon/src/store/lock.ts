import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs'
import { ConfigError } from '@cashnotify/core'

/** A held lock: release it once, when the state file is closed. */
export interface StateLock {
  /** The lock file. */
  readonly path: string
  /** Deletes the lock file. Idempotent. */
  release(): void
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Takes the lock of a state file: `<file>.lock` holding the pid of the process that writes the state.
 * Two processes writing one state would each send what the other already sent, so a second one is
 * refused; a lock left by a process that died is taken over.
 *
 * @throws {@link ConfigError} naming the process that holds the lock.
 */
export function lockState(statePath: string): StateLock {
  const path = `${statePath}.lock`
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx', 0o600)
      writeSync(fd, `${process.pid}\n`)
      closeSync(fd)
      let released = false
      return {
        path,
        release() {
          if (released) return
          released = true
          rmSync(path, { force: true })
        },
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const pid = Number.parseInt(readFileSync(path, 'utf8'), 10)
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) {
        throw new ConfigError(
          `Another cashnotify process (pid ${pid}) is using the state file ${statePath}. ` +
            'Stop it first, or give this one another state file (`--state <file>`).',
        )
      }
      rmSync(path, { force: true }) // stale: its process is gone
    }
  }
  throw new ConfigError(`Could not lock the state file ${statePath} (${path} keeps coming back).`)
}
