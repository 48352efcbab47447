import { changesFor } from './changes.js'
import { applyIncludables } from './includable.js'
import { type Json, type RenderSource, record } from './versions.js'

/**
 * A copy of `object` as Stripe would show it at API `version`: stored objects are in the current shape,
 * and every nested object (expanded ones, invoice lines, subscription items...) is rendered too.
 * `include` names the includable fields of the top object that `expand[]` asked for. Events are
 * returned as they are: their `data.object` was rendered at the event's own version.
 */
export function renderAt<T>(
  object: T,
  version: string,
  source: RenderSource,
  include: readonly string[] = [],
): T {
  return walk(structuredClone(object), version, source, include) as T
}

function walk(value: unknown, version: string, source: RenderSource, include: readonly string[]): unknown {
  if (Array.isArray(value)) return value.map((item) => walk(item, version, source, []))
  const object = record(value)
  if (object === undefined) return value
  const kind = object.object
  if (kind === 'event') return object
  if (typeof kind === 'string' && kind !== 'list') {
    applyIncludables(object, kind, version, source, include)
    for (const change of changesFor(kind, version)) change.downgrade(object, source)
    if (kind === 'invoice') firstPageOnly(object, 'lines')
  }
  for (const [key, child] of Object.entries(object)) object[key] = walk(child, version, source, [])
  return object
}

/** Stripe embeds a list's first page only (10 items, `has_more` set): the rest is read from its own URL. */
const EMBEDDED_PAGE = 10

function firstPageOnly(object: Json, field: string): void {
  const list = record(object[field])
  const data = list?.data
  if (!list || !Array.isArray(data) || data.length <= EMBEDDED_PAGE) return
  object[field] = { ...list, data: data.slice(0, EMBEDDED_PAGE), has_more: true }
}

/**
 * Stripe's `previous_attributes` of an `*.updated` event: the old values of the top-level fields that
 * changed, with nested hashes narrowed to their changed keys (lists and objects are given whole).
 */
export function previousAttributes(before: Json, after: Json): Json {
  const out: Json = {}
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const old = before[key]
    const now = after[key]
    if (sameJson(old, now)) continue
    const oldHash = plainHash(old)
    const newHash = plainHash(now)
    out[key] =
      oldHash !== undefined && newHash !== undefined ? previousAttributes(oldHash, newHash) : (old ?? null)
  }
  return out
}

function plainHash(value: unknown): Json | undefined {
  const hash = record(value)
  return hash === undefined || 'object' in hash ? undefined : hash
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (Array.isArray(a) || Array.isArray(b)) {
    return (
      Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameJson(x, b[i]))
    )
  }
  const x = record(a)
  const y = record(b)
  if (x === undefined || y === undefined) return false
  const keys = Object.keys(x)
  return keys.length === Object.keys(y).length && keys.every((key) => key in y && sameJson(x[key], y[key]))
}
