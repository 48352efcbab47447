import { truncateSync } from 'node:fs'
import { ConfigError } from '@cashnotify/core'
import Database from 'better-sqlite3'

/** A held lock: the operating system releases it when its process ends, however it ends. */
export interface StateLock {
  /** The lock file. */
  readonly path: string
  /** Releases it (closes the lock file). Idempotent. */
  release(): void
}

const isCode = (error: unknown, code: string): boolean => (error as { code?: unknown }).code === code

function exclusive(path: string): Database.Database | undefined {
  const db = new Database(path, { timeout: 0 })
  try {
    // In exclusive locking mode SQLite keeps the lock it takes until the connection closes; BEGIN
    // EXCLUSIVE takes it at once, without writing anything to the (empty) file.
    db.pragma('locking_mode = EXCLUSIVE')
    db.exec('BEGIN EXCLUSIVE')
    return db
  } catch (error) {
    db.close()
    if (isCode(error, 'SQLITE_BUSY')) return undefined
    throw error
  }
}

/**
 * Takes the lock of a state file: an exclusive SQLite lock (a POSIX advisory lock, which the kernel
 * drops when the process that holds it dies, even by SIGKILL) on `<file>.lock`, beside the real file.
 * Two processes writing one state would each send what the other already sent, so a second one is
 * refused. The state file itself keeps no lock: `dead-letters` reads it while `watch` runs.
 *
 * @param statePath - the state file's real path (symbolic links resolved), so that every name of one
 * file shares its lock
 * @throws {@link ConfigError} when another process holds it.
 */
export function lockState(statePath: string): StateLock {
  const path = `${statePath}.lock`
  let db: Database.Database | undefined
  try {
    db = exclusive(path)
  } catch (error) {
    if (!isCode(error, 'SQLITE_NOTADB')) throw error
    // A lock file of an older version (it held a pid): a lock is never written to, so it can be emptied.
    truncateSync(path)
    db = exclusive(path)
  }
  if (db === undefined)
    throw new ConfigError(
      `Another cashnotify process is using the state file ${statePath} (it holds ${path}). ` +
        'Stop it first, or give this one another state file (`--state <file>`).',
    )
  const held = db
  return {
    path,
    release() {
      if (held.open) held.close()
    },
  }
}
