import { EventEmitter } from 'node:events'
import Database from 'better-sqlite3'
import type { KeyvStoreAdapter, StoredData } from 'keyv'

/** Options of {@link SqliteStore}. */
export interface SqliteStoreOptions {
  /** The table the values live in. @default 'keyv' */
  table?: string
  /** The clock of the time to live, ms since epoch. @default Date.now */
  now?: () => number
}

interface Row {
  value: string
  expires: number | null
}

/**
 * A Keyv store adapter over one SQLite file (better-sqlite3): what the daemon keeps its state in, so a
 * restart resumes where it stopped. Keyv serialises values itself and checks their expiry on read; the
 * `expires` column is only there so that expired rows can be deleted when the file is opened.
 *
 * @example
 * ```ts
 * const keyv = new Keyv({ store: new SqliteStore('./state.sqlite') })
 * ```
 */
export class SqliteStore extends EventEmitter implements KeyvStoreAdapter {
  /** What Keyv reads of its adapter's options. */
  readonly opts: { readonly dialect: 'sqlite'; readonly uri: string }
  /** The key prefix Keyv gives this store (Keyv sets it). */
  namespace?: string | undefined
  readonly #db: Database.Database
  readonly #now: () => number
  readonly #sql: {
    get: Database.Statement<[string], Row>
    set: Database.Statement<[string, string, number | null]>
    delete: Database.Statement<[string]>
  }
  readonly #table: string

  /** Opens (or creates) the file; `':memory:'` for a store that lives as long as the object. */
  constructor(path: string, options: SqliteStoreOptions = {}) {
    super()
    const table = options.table ?? 'keyv'
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(table)) throw new TypeError(`Invalid table name "${table}".`)
    this.opts = { dialect: 'sqlite', uri: path }
    this.#table = table
    this.#now = options.now ?? Date.now
    this.#db = new Database(path)
    // WAL: a crash never leaves a half-written transaction, and readers (`dead-letters`) never block.
    this.#db.pragma('journal_mode = WAL')
    this.#db.pragma('synchronous = NORMAL')
    this.#db.pragma('busy_timeout = 5000')
    this.#db.exec(
      `CREATE TABLE IF NOT EXISTS ${table} (key TEXT PRIMARY KEY, value TEXT NOT NULL, expires INTEGER)`,
    )
    this.#db.prepare(`DELETE FROM ${table} WHERE expires IS NOT NULL AND expires <= ?`).run(this.#now())
    this.#sql = {
      get: this.#db.prepare(`SELECT value, expires FROM ${table} WHERE key = ?`),
      set: this.#db.prepare(
        `INSERT INTO ${table} (key, value, expires) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, expires = excluded.expires`,
      ),
      delete: this.#db.prepare(`DELETE FROM ${table} WHERE key = ?`),
    }
  }

  /** Reads a value; an expired one is deleted and reads as `undefined`. */
  async get<Value>(key: string): Promise<StoredData<Value> | undefined> {
    const row = this.#sql.get.get(key)
    if (!row) return undefined
    if (row.expires !== null && row.expires <= this.#now()) {
      this.#sql.delete.run(key)
      return undefined
    }
    return row.value as StoredData<Value>
  }

  /** Reads several values, in the order of the keys. */
  async getMany<Value>(keys: string[]): Promise<Array<StoredData<Value | undefined>>> {
    return Promise.all(keys.map((key) => this.get<Value>(key)))
  }

  /** Writes a value (Keyv passes it serialised), with a time to live in ms. */
  async set(key: string, value: unknown, ttl?: number): Promise<boolean> {
    const text = typeof value === 'string' ? value : JSON.stringify(value)
    this.#sql.set.run(key, text, typeof ttl === 'number' && ttl > 0 ? this.#now() + ttl : null)
    return true
  }

  /** Deletes a value; true when there was one. */
  async delete(key: string): Promise<boolean> {
    return this.#sql.delete.run(key).changes > 0
  }

  /** Deletes several values in one transaction; true when at least one was there. */
  async deleteMany(keys: string[]): Promise<boolean> {
    const run = this.#db.transaction((all: string[]) =>
      all.reduce((deleted, key) => deleted + this.#sql.delete.run(key).changes, 0),
    )
    return run(keys) > 0
  }

  /** Whether a live value is stored under the key. */
  async has(key: string): Promise<boolean> {
    return (await this.get(key)) !== undefined
  }

  /** Deletes every value of this store's namespace (every value when it has none). */
  async clear(): Promise<void> {
    if (!this.namespace) {
      this.#db.prepare(`DELETE FROM ${this.#table}`).run()
      return
    }
    const prefix = `${this.namespace}:`.replace(/[\\%_]/g, (c) => `\\${c}`)
    this.#db.prepare(`DELETE FROM ${this.#table} WHERE key LIKE ? ESCAPE '\\'`).run(`${prefix}%`)
  }

  /** Closes the file, folding the write-ahead log into it. Idempotent. */
  async disconnect(): Promise<void> {
    if (this.#db.open) this.#db.close()
  }
}
