import type { StoredObject } from '../collection.js'
import { apiError, permissionDenied, resourceMissing } from '../errors.js'
import { checkExpand, expandPath } from '../expand.js'
import { hasPermission } from '../keys.js'
import type { ListEnvelope } from '../list.js'
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

/**
 * Reads `expand[]`, checks it against what the object kind allows, and returns a function applying it
 * to the response. Expanding needs the expanded object's read permission, as on Stripe.
 */
export function readExpand(context: RouteContext, kind: string, isList: boolean): <T>(body: T) => T {
  const paths = checkExpand(context.params.strings('expand') ?? [], kind, isList)
  if (paths.length === 0) return (body) => body
  const resolve = (id: string): StoredObject => {
    const target = kindOfId(id)
    const info = target === undefined ? undefined : kindInfo(target)
    if (target === undefined || info === undefined) {
      throw apiError(
        500,
        `[stripe-simulator] Cannot expand '${id}': the simulator does not know that kind of object.`,
      )
    }
    if (!hasPermission(context.key, info.permission)) {
      throw permissionDenied(context.key.masked, context.account.info.id, info.permission)
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
    return found
  }
  return <T>(body: T): T => {
    const copy = structuredClone(body) as unknown
    const objects = isList
      ? (copy as ListEnvelope<Record<string, unknown>>).data
      : [copy as Record<string, unknown>]
    for (const object of objects) {
      for (const segments of paths) expandPath(object, kind, segments, resolve)
    }
    return copy as T
  }
}
