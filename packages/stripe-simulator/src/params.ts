import { exclusiveParameters, invalidInteger, invalidValue, outOfRange, unknownParameter } from './errors.js'

/** A decoded form/query value: Stripe's `a[b][]=x` encoding becomes nested objects and arrays. */
export type ParamValue = string | ParamValue[] | { [key: string]: ParamValue }

/** Top-level parameters by name. */
export type ParamTree = Record<string, ParamValue>

/**
 * Decodes `application/x-www-form-urlencoded` pairs the way Stripe does: `expand[]=a&expand[]=b`,
 * `expand[0]=a` (stripe-node's form) and `created[gte]=1` all nest. A repeated scalar keeps the last value.
 */
export function parseParams(pairs: URLSearchParams): ParamTree {
  const root: Record<string, ParamValue> = {}
  for (const [rawKey, value] of pairs) {
    const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(rawKey)
    const segments = match
      ? [match[1] ?? '', ...[...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? '')]
      : [rawKey]
    insert(root, segments, value)
  }
  return root
}

function insert(node: Record<string, ParamValue> | ParamValue[], segments: string[], value: string): void {
  const [head, ...rest] = segments
  if (head === undefined) return
  const container = node as Record<string, ParamValue>
  const key = Array.isArray(node) && head === '' ? String(node.length) : head
  if (rest.length === 0) {
    container[key] = value
    return
  }
  let child = container[key]
  if (child === undefined || typeof child === 'string') {
    // `a[]` and `a[0]` make arrays; `a[b]` makes an object.
    child = rest[0] === '' || /^\d+$/.test(rest[0] ?? '') ? [] : {}
    container[key] = child
  }
  insert(child, rest, value)
}

/** A `created`-style range: `created=<int>` or `created[gt|gte|lt|lte]=<int>`. */
export interface RangeFilter {
  gt?: number
  gte?: number
  lt?: number
  lte?: number
}

const RANGE_KEYS = ['gt', 'gte', 'lt', 'lte'] as const

/**
 * Reads an endpoint's parameters one by one and, in {@link ParamReader.finish}, refuses whatever was
 * not read: that is how Stripe's strictness about unknown parameters is kept in one place.
 */
export class ParamReader {
  readonly #tree: ParamTree
  readonly #read = new Set<string>()

  constructor(tree: ParamTree) {
    this.#tree = tree
  }

  /** True when the parameter was sent (even empty). */
  has(name: string): boolean {
    return this.#tree[name] !== undefined
  }

  /** A string parameter; empty strings count as absent, as Stripe treats them for optional values. */
  string(name: string): string | undefined {
    this.#read.add(name)
    const value = this.#tree[name]
    if (value === undefined) return undefined
    if (typeof value !== 'string') throw invalidValue(name, `Invalid string: ${describe(value)}`)
    return value === '' ? undefined : value
  }

  /** An integer parameter, optionally bounded. */
  integer(name: string, bounds?: { min: number; max: number }): number | undefined {
    const raw = this.#scalar(name)
    if (raw === undefined) return undefined
    const value = toInteger(name, raw)
    if (bounds && (value < bounds.min || value > bounds.max))
      throw outOfRange(name, bounds.min, bounds.max, value)
    return value
  }

  /** A boolean parameter (`true` / `false`). */
  boolean(name: string): boolean | undefined {
    const raw = this.#scalar(name)
    if (raw === undefined) return undefined
    if (raw === 'true') return true
    if (raw === 'false') return false
    throw invalidValue(name, `Invalid boolean: ${raw}`)
  }

  /** An array of strings (`name[]=a&name[]=b` or `name[0]=a`), at most `max` long. */
  strings(name: string, max = Number.POSITIVE_INFINITY): string[] | undefined {
    this.#read.add(name)
    const value = this.#tree[name]
    if (value === undefined) return undefined
    if (!Array.isArray(value)) throw invalidValue(name, `Invalid array`)
    const out: string[] = []
    for (const [i, item] of value.entries()) {
      if (typeof item !== 'string') throw invalidValue(`${name}[${i}]`, `Invalid string: ${describe(item)}`)
      out.push(item)
    }
    if (out.length > max) {
      throw invalidValue(
        name,
        `You may pass at most ${max} values for \`${name}\`; ${out.length} were given.`,
      )
    }
    return out
  }

  /** A `created`-style range filter. */
  range(name: string): RangeFilter | undefined {
    this.#read.add(name)
    const value = this.#tree[name]
    if (value === undefined) return undefined
    if (typeof value === 'string') {
      if (value === '') return undefined
      const exact = toInteger(name, value)
      return { gte: exact, lte: exact }
    }
    if (Array.isArray(value)) throw invalidValue(name, `Invalid ${name}: expected an integer or a hash`)
    const out: RangeFilter = {}
    for (const [key, raw] of Object.entries(value)) {
      const param = `${name}[${key}]`
      if (!(RANGE_KEYS as readonly string[]).includes(key)) throw unknownParameter(param)
      if (typeof raw !== 'string') throw invalidValue(param, `Invalid integer: ${describe(raw)}`)
      out[key as (typeof RANGE_KEYS)[number]] = toInteger(param, raw)
    }
    return out
  }

  /** A hash of strings such as `metadata[key]=value`. */
  stringMap(name: string): Record<string, string> | undefined {
    this.#read.add(name)
    const value = this.#tree[name]
    if (value === undefined || value === '') return undefined
    if (typeof value === 'string' || Array.isArray(value)) throw invalidValue(name, `Invalid hash`)
    const out: Record<string, string> = {}
    for (const [key, item] of Object.entries(value)) {
      if (typeof item !== 'string') throw invalidValue(`${name}[${key}]`, `Invalid string: ${describe(item)}`)
      out[key] = item
    }
    return out
  }

  /** Throws when both of two exclusive parameters were sent. */
  exclusive(a: string, b: string): void {
    if (this.has(a) && this.has(b)) throw exclusiveParameters(a, b)
  }

  /** Marks parameters as known without reading them (e.g. ones checked elsewhere). */
  skip(...names: string[]): void {
    for (const name of names) this.#read.add(name)
  }

  /** Refuses the first parameter nobody read, as Stripe does. */
  finish(): void {
    for (const name of Object.keys(this.#tree)) {
      if (!this.#read.has(name)) throw unknownParameter(name)
    }
  }

  #scalar(name: string): string | undefined {
    this.#read.add(name)
    const value = this.#tree[name]
    if (value === undefined) return undefined
    if (typeof value !== 'string') throw invalidInteger(name, describe(value))
    return value
  }
}

function toInteger(param: string, raw: string): number {
  if (!/^-?\d+$/.test(raw)) throw invalidInteger(param, raw)
  const value = Number(raw)
  if (!Number.isSafeInteger(value)) throw invalidInteger(param, raw)
  return value
}

function describe(value: ParamValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value)
}
