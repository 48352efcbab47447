import { homedir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, type KeyValueStore } from '@cashnotify/core'
import { Keyv } from 'keyv'
import { lockState, type StateLock } from './lock.js'
import { SqliteStore } from './sqlite-store.js'
import { prepareStatePath } from './state-path.js'
import { serializeState } from './state-serializer.js'

/** An open state file. */
export interface OpenState {
  /** The file (its real path: symbolic links resolved). */
  readonly path: string
  /** The Keyv store to give CashNotify. */
  readonly store: KeyValueStore
  /** Closes the file and releases its lock. Idempotent. */
  close(): Promise<void>
}

/** How to open a state file. */
export interface OpenStateOptions {
  /** Take the lock: a second process that wants it too is refused (see {@link lockState}). */
  readonly lock: boolean
  /** Create the file when it is missing. @default true */
  readonly create?: boolean
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

function unopenable(file: string, error: unknown): ConfigError {
  const { code, message } = error as { code?: unknown; message?: unknown }
  return new ConfigError(
    code === 'SQLITE_NOTADB'
      ? `${file} is not a SQLite database, so it is not a state file: give the path of the state file, or of a file that does not exist yet.`
      : `SQLite cannot open the state file ${file}: ${String(message)} (${String(code)}).`,
    { cause: error },
  )
}

/**
 * Opens (or creates) the SQLite state file as a Keyv store. The file holds customer emails of
 * notifications waiting to be sent, so it is created readable by its owner only, in a directory of
 * its own. A path that cannot hold it (a directory, /proc …) is refused with what to do.
 *
 * @throws {@link ConfigError} for an unusable path, or a lock another process holds.
 */
export function openState(path: string, options: OpenStateOptions): OpenState {
  const file = path === ':memory:' ? path : prepareStatePath(path, options.create ?? true)
  const lock: StateLock | undefined = options.lock && file !== ':memory:' ? lockState(file) : undefined
  let sqlite: SqliteStore
  try {
    sqlite = new SqliteStore(file)
  } catch (error) {
    lock?.release()
    throw unopenable(file, error)
  }
  // Without throwOnErrors, Keyv turns a failing read into `undefined`: a lost cursor, sent twice.
  const keyv = new Keyv({ store: sqlite, throwOnErrors: true, serialize: serializeState })
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
