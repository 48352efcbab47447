import type { StoredObject } from '../collection.js'
import { unsupportedParameter } from '../errors.js'
import { inRange, page, readListParams } from '../list.js'
import type { ParamReader } from '../params.js'
import { LIST_RESOURCES, type ListFilter, type ResourceSpec } from '../resources.js'
import type { Route, RouteContext } from '../router.js'
import { findOr404, notFound, readExpand } from './helpers.js'

/** List and retrieve routes of every plain resource (customers, invoices, payouts...). */
export const resourceRoutes: readonly Route[] = LIST_RESOURCES.flatMap((spec): Route[] => [
  {
    method: 'GET',
    template: spec.path,
    permission: spec.permission,
    ...(spec.since === undefined ? {} : { since: spec.since }),
    handle: (context) => list(context, spec),
  },
  {
    method: 'GET',
    template: `${spec.path}/:id`,
    permission: spec.permission,
    ...(spec.since === undefined ? {} : { since: spec.since }),
    handle: (context) => {
      const expand = readExpand(context, spec.kind, false)
      context.params.finish()
      return expand(findOr404(context, spec.kind, context.path.id ?? ''))
    },
  },
])

function list(context: RouteContext, spec: ResourceSpec): unknown {
  const { params } = context
  for (const name of spec.unsupported) if (params.has(name)) throw unsupportedParameter(name)
  const listParams = readListParams(params)
  const ranges = spec.ranges
    .filter((name) => name !== 'created')
    .map((name) => [name, params.range(name)] as const)
  const tests = Object.entries(spec.filters).map(([name, filter]) => readFilter(params, name, filter))
  const expand = readExpand(context, spec.kind, true)
  params.finish()
  const body = page(context.data.collection(spec.kind), listParams, {
    url: spec.path,
    matches: (object) =>
      inRange(object.created, listParams.created) &&
      ranges.every(([name, range]) => inRange(numberAt(object, name), range)) &&
      tests.every((test) => test(object)),
    missingCursor: (id, param) => notFound(context, spec.kind, id, param),
  })
  return expand(body)
}

/** Turns one filter parameter into a predicate (always true when the parameter is absent). */
function readFilter(
  params: ParamReader,
  name: string,
  filter: ListFilter,
): (object: StoredObject) => boolean {
  if (filter.type === 'oneOf') {
    const wanted = params.strings(name)
    return wanted === undefined
      ? () => true
      : (object) => valuesAt(object, filter.paths).some((v) => wanted.includes(String(v)))
  }
  if (filter.type === 'hash') {
    const wanted = params.stringMap(name)
    if (wanted === undefined) return () => true
    const path = filter.paths[0] ?? name
    return (object) =>
      Object.entries(wanted).every(([key, value]) =>
        valuesAt(object, [`${path}.${key}`]).some((found) =>
          isRecord(found) ? found.id === value : found === value,
        ),
      )
  }
  if (filter.type === 'boolean') {
    const wanted = params.boolean(name)
    return wanted === undefined ? () => true : (object) => valuesAt(object, filter.paths).includes(wanted)
  }
  const wanted = params.string(name)
  if (wanted === undefined) {
    const hidden = filter.hiddenByDefault
    return hidden === undefined
      ? () => true
      : (object) => !valuesAt(object, filter.paths).some((v) => hidden.includes(String(v)))
  }
  if (wanted === filter.all) return () => true
  return (object) =>
    valuesAt(object, filter.paths).some((value) =>
      filter.type === 'ref' && isRecord(value) ? value.id === wanted : value === wanted,
    )
}

/** Values found at dot paths, walking through arrays (`items.data.price` visits every item). */
function valuesAt(object: StoredObject, paths: readonly string[]): unknown[] {
  const out: unknown[] = []
  const walk = (value: unknown, segments: readonly string[]): void => {
    if (Array.isArray(value)) {
      for (const item of value) walk(item, segments)
      return
    }
    const [head, ...rest] = segments
    if (head === undefined) {
      out.push(value)
      return
    }
    if (isRecord(value)) walk(value[head], rest)
  }
  for (const path of paths) walk(object, path.split('.'))
  return out
}

function numberAt(object: StoredObject, field: string): number | undefined {
  const value = (object as unknown as Record<string, unknown>)[field]
  return typeof value === 'number' ? value : undefined
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
