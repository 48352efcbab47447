import { type KeyKind, type KeyMode, maskKey, newKey } from './ids.js'
import type { Random } from './random.js'

/** What the simulator knows about a key it issued. */
export interface KeyRecord {
  readonly key: string
  readonly masked: string
  readonly kind: KeyKind
  readonly mode: KeyMode
  readonly account: string
  /** Restricted keys only: `rak_..._read` / `rak_..._write` strings. */
  permissions: Set<string>
  state: 'active' | 'revoked' | 'expired'
}

const PERMISSION = /^rak_[a-z0-9_]+_(read|write)$/

/** The keys of one simulator. */
export class KeyRing {
  readonly #keys = new Map<string, KeyRecord>()
  readonly #random: Random

  constructor(random: Random) {
    this.#random = random
  }

  /** Issues a key. Permissions are for restricted keys only (secret keys may do everything). */
  create(account: string, kind: KeyKind, mode: KeyMode, permissions?: readonly string[]): string {
    if (permissions !== undefined && kind !== 'restricted') {
      throw new TypeError(
        `[stripe-simulator] Only restricted keys carry permissions; got a ${kind} key with permissions.`,
      )
    }
    let key = newKey(this.#random, kind, mode)
    while (this.#keys.has(key)) key = newKey(this.#random, kind, mode)
    this.#keys.set(key, {
      key,
      masked: maskKey(key),
      kind,
      mode,
      account,
      permissions: checkPermissions(permissions ?? []),
      state: 'active',
    })
    return key
  }

  /** The record of a key, whatever its state. */
  find(key: string): KeyRecord | undefined {
    return this.#keys.get(key)
  }

  /** The record of a key the caller passed in; throws when the simulator never issued it. */
  get(key: string): KeyRecord {
    const record = this.#keys.get(key)
    if (record === undefined) throw new Error(`[stripe-simulator] Unknown key ${maskKey(key)}.`)
    return record
  }

  /** Replaces a restricted key's permissions. */
  setPermissions(key: string, permissions: readonly string[]): void {
    const record = this.get(key)
    if (record.kind !== 'restricted') {
      throw new TypeError(
        `[stripe-simulator] Only restricted keys carry permissions; ${record.masked} is a ${record.kind} key.`,
      )
    }
    record.permissions = checkPermissions(permissions)
  }
}

function checkPermissions(permissions: readonly string[]): Set<string> {
  for (const permission of permissions) {
    if (!PERMISSION.test(permission)) {
      throw new TypeError(
        `[stripe-simulator] Expected permissions like 'rak_event_read' or 'rak_file_write', got '${permission}'.`,
      )
    }
  }
  return new Set(permissions)
}

/** Whether a key may use `permission`: secret keys may do anything; `_write` implies `_read`. */
export function hasPermission(record: KeyRecord, permission: string): boolean {
  if (record.kind === 'secret') return true
  if (record.kind === 'publishable') return false
  if (record.permissions.has(permission)) return true
  return (
    permission.endsWith('_read') && record.permissions.has(`${permission.slice(0, -'_read'.length)}_write`)
  )
}

/**
 * Takes a permission away, as a dashboard edit would: removing `X_read` leaves no access to X
 * (so `X_write` goes too); removing `X_write` leaves `X_read` if it was granted.
 */
export function removePermission(record: KeyRecord, permission: string): void {
  record.permissions.delete(permission)
  if (permission.endsWith('_read')) record.permissions.delete(`${permission.slice(0, -'_read'.length)}_write`)
}
