import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { homedir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import type { KeyValueStore } from '@cashnotify/core'
import { Keyv } from 'keyv'
import { lockState, type StateLock } from './lock.js'
import { SqliteStore } from './sqlite-store.js'

/** An open state file. */
export interface OpenState {
  /** The file. */
  readonly path: string
  /** The Keyv store to give CashNotify. */
  readonly store: KeyValueStore
  /** Closes the file and releases its lock. Idempotent. */
  close(): Promise<void>
}

/**
 * Where state lives when neither the config nor a flag says: systemd's `$STATE_DIRECTORY` (a unit with
 * `StateDirectory=`), else `~/.cashnotify/state.sqlite`.
 */
export function defaultStatePath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const stateDirectory = env.STATE_DIRECTORY?.split(':')[0]
  return stateDirectory
    ? join(stateDirectory, 'state.sqlite')
    : join(homedir(), '.cashnotify', 'state.sqlite')
}

/**
 * Opens (or creates) the SQLite state file as a Keyv store. The file holds customer emails of
 * notifications waiting to be sent, so it is created readable by its owner only, in a directory of
 * its own. With `lock`, a second process on the same file is refused (see {@link lockState}).
 */
export function openState(path: string, options: { lock: boolean }): OpenState {
  const file = path === ':memory:' ? path : resolve(path)
  if (file !== ':memory:') {
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 })
    if (!existsSync(file)) {
      closeSync(openSync(file, 'a', 0o600))
      chmodSync(file, 0o600) // whatever the umask
    }
  }
  const lock: StateLock | undefined = options.lock ? lockState(file) : undefined
  let sqlite: SqliteStore
  try {
    sqlite = new SqliteStore(file)
  } catch (error) {
    lock?.release()
    throw error
  }
  // Without throwOnErrors, Keyv turns a failing read into `undefined`: a lost cursor, sent twice.
  const keyv = new Keyv({ store: sqlite, throwOnErrors: true })
  let closed = false
  return {
    path: file,
    store: keyv,
    async close() {
      if (closed) return
      closed = true
      try {
        await sqlite.disconnect()
      } finally {
        lock?.release()
      }
    },
  }
}
