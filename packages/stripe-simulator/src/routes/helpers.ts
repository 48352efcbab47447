import type { StoredObject } from '../collection.js'
import { apiError, notExpandable, permissionDenied, resourceMissing } from '../errors.js'
import { checkExpand, expandPath } from '../expand.js'
import { hasPermission } from '../keys.js'
import type { ListEnvelope } from '../list.js'
import { includable, includableAt } from '../render/includable.js'
import { renderAt } from '../render/render.js'
import { sourceOf } from '../render/source.js'
import { atLeast, type RenderSource, requestedVersion } from '../render/versions.js'
import { kindInfo, kindOfId } from '../resources.js'
import type { RouteContext } from '../router.js'

/** "No such customer: 'cus_x'" with Stripe's hint when the id lives in the other mode. */
export function notFound(
  context: RouteContext,
  kind: string,
  id: string,
  param: string,
  status = 404,
): ReturnType<typeof resourceMissing> {
  const label = kindInfo(kind)?.label ?? kind
  const inOther = context.other.collection(kind).get(id) !== undefined
  return resourceMissing(label, id, param, {
    status,
    ...(inOther ? { otherMode: context.other.livemode ? 'live' : 'test' } : {}),
  })
}

/** The stored object of the path's `:id`, or the 404 Stripe answers. */
export function findOr404(context: RouteContext, kind: string, id: string): StoredObject {
  const found = context.data.collection(kind).get(id)
  if (found === undefined) throw notFound(context, kind, id, 'id')
  return found
}

/** The API version a request is answered at: its `Stripe-Version` header, else the account's. */
export function versionOf(context: RouteContext): string {
  return requestedVersion(context.request.headers.get('stripe-version'), context.account.info.apiVersion)
}

/**
 * Reads `expand[]`, checks it against what the object kind allows at the request's API version, and
 * returns a function that renders the response at that version (see `render/`) and expands it.
 * Expanding needs the expanded object's read permission, as on Stripe.
 */
export function readExpand(context: RouteContext, kind: string, isList: boolean): <T>(body: T) => T {
  const raw = context.params.strings('expand') ?? []
  const paths = checkExpand(raw, kind, isList)
  const version = versionOf(context)
  const source = sourceOf(context.data)
  const include = includedFields(kind, paths, raw, version)
  const render = <T>(object: T, fields: readonly string[] = []): T =>
    renderAt(object, version, source, fields)
  const resolve = resolver(context, source, version)
  return <T>(body: T): T => {
    const copy = isList
      ? ({
          ...(body as ListEnvelope<unknown>),
          data: (body as ListEnvelope<unknown>).data.map((object) => render(object, include)),
        } as T)
      : render(body, include)
    const objects = isList
      ? (copy as ListEnvelope<Record<string, unknown>>).data
      : [copy as Record<string, unknown>]
    for (const object of objects) {
      for (const segments of paths) expandPath(object, kind, segments, resolve)
    }
    return copy
  }
}

/** The includable fields `expand[]` asks for; 400 for one the version does not have. */
function includedFields(
  kind: string,
  paths: readonly string[][],
  raw: readonly string[],
  version: string,
): string[] {
  return paths.flatMap((segments, index) => {
    const path = raw[index] ?? segments.join('.')
    // 2025-12-15.clover: "Enables expansion for invoice pricing details" (`price_details.price`).
    if (segments.join('.').includes('price_details.price') && !atLeast(version, '2025-12-15')) {
      throw notExpandable(path)
    }
    const head = segments[0] ?? ''
    const spec = includable(kind, head)
    if (spec === undefined) return []
    if (!includableAt(spec, version)) throw notExpandable(path)
    return [head]
  })
}

/** Looks up an expanded id: checks the kind, the permission and the store; renders the object. */
function resolver(
  context: RouteContext,
  source: RenderSource,
  version: string,
): (id: string) => StoredObject {
  return (id: string): StoredObject => {
    const target = kindOfId(id)
    const info = target === undefined ? undefined : kindInfo(target)
    if (target === undefined || info === undefined) {
      throw apiError(
        500,
        `[stripe-simulator] Cannot expand '${id}': the simulator does not know that kind of object.`,
      )
    }
    if (!hasPermission(context.key, info.permission)) {
      throw permissionDenied(context.key.key, context.account.info.id, info.permission)
    }
    const found = context.data.collection(target).get(id)
    if (found === undefined) {
      const mode = context.data.livemode ? 'live' : 'test'
      throw apiError(
        500,
        `[stripe-simulator] Cannot expand '${id}': no such ${info.label} in the ${mode}-mode store of ${context.account.info.id}. ` +
          'Stripe always has referenced objects; add it with sim.store(account, livemode).add(...).',
      )
    }
    return renderAt(found, version, source)
  }
}
