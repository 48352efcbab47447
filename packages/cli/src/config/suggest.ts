/**
 * "Did you mean `pollInterval`?" for an unknown field: the known fields at the unknown one's place in
 * the schema, and the one closest to what was written.
 */
import { z } from 'zod'

/** The schema inside optional wrappers. */
function unwrap(schema: z.core.$ZodType): z.core.$ZodType {
  let inner = schema
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodExactOptional) inner = inner.unwrap()
  return inner
}

const record = (value: unknown): Record<string, unknown> | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined

/** The object schema that `value` meets among a union's options: by its discriminator, else the first. */
function objectOf(schema: z.core.$ZodType, value: unknown): z.ZodObject | undefined {
  const inner = unwrap(schema)
  if (inner instanceof z.ZodObject) return inner
  if (!(inner instanceof z.ZodUnion)) return undefined
  const objects = inner.options.map(unwrap).filter((option) => option instanceof z.ZodObject)
  const key = inner instanceof z.ZodDiscriminatedUnion ? inner.def.discriminator : undefined
  const wanted = key === undefined ? undefined : record(value)?.[key]
  return (
    objects.find((option) => {
      const literal = key === undefined ? undefined : unwrap(option.shape[key] ?? z.never())
      return literal instanceof z.ZodLiteral && literal.values.has(wanted as z.core.util.Literal)
    }) ?? (key === undefined ? objects[0] : undefined)
  )
}

/**
 * The fields the object at `path` may have, per `schema` (which `raw`, the config as written, must be
 * walked with to choose among a union's options). `exclude` holds what the schema only names to refuse.
 */
export function fieldsAt(
  schema: z.core.$ZodType,
  raw: unknown,
  path: ReadonlyArray<PropertyKey>,
  exclude: ReadonlySet<string>,
): string[] {
  let node: z.core.$ZodType | undefined = schema
  let value = raw
  for (const part of path) {
    const current: z.core.$ZodType = unwrap(node)
    if (current instanceof z.ZodArray && typeof part === 'number') node = current.element
    else node = objectOf(current, value)?.shape[String(part)]
    value = Array.isArray(value) ? value[Number(part)] : record(value)?.[String(part)]
    if (node === undefined) return []
  }
  const object = objectOf(node, value)
  return object ? Object.keys(object.shape).filter((name) => !exclude.has(name)) : []
}

/** Damerau–Levenshtein distance (a swap of neighbours counts one), ignoring case. */
function distance(a: string, b: string): number {
  const s = a.toLowerCase()
  const t = b.toLowerCase()
  const d = Array.from({ length: s.length + 1 }, (_, i) =>
    Array.from({ length: t.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  )
  for (let i = 1; i <= s.length; i++) {
    for (let j = 1; j <= t.length; j++) {
      const cost = s[i - 1] === t[j - 1] ? 0 : 1
      const row = d[i]!
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1])
        row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1)
    }
  }
  return d[s.length]![t.length]!
}

/** The known name closest to `name`, when it is close enough to be a typo of it. */
export function closest(name: string, known: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3))
  let best: { name: string; distance: number } | undefined
  for (const candidate of known) {
    const d = distance(name, candidate)
    if (d <= limit && (best === undefined || d < best.distance)) best = { name: candidate, distance: d }
  }
  return best?.name
}
