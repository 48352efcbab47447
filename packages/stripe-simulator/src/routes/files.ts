import type Stripe from 'stripe'
import type { StoredObject } from '../collection.js'
import { apiError, invalidValue, missingParameter } from '../errors.js'
import { newId } from '../ids.js'
import { FileBody, type Route, type RouteContext } from '../router.js'
import type { Wire } from '../wire.js'
import { findOr404, notFound, readExpand } from './helpers.js'

type FileObject = Wire<Stripe.File>
type FileLinkObject = Wire<Stripe.FileLink>

/** Files, file contents and file links. The public `/links/:token` lives in the pipeline (no auth). */
export const fileRoutes: readonly Route[] = [
  {
    method: 'GET',
    template: '/v1/files/:id',
    permission: 'rak_file_read',
    handle: (context) => {
      const expand = readExpand(context, 'file', false)
      context.params.finish()
      return expand(fileView(context, findOr404(context, 'file', context.path.id ?? '') as FileObject))
    },
  },
  {
    method: 'GET',
    template: '/v1/files/:id/contents',
    permission: 'rak_file_read',
    handle: (context) => {
      context.params.finish()
      const file = findOr404(context, 'file', context.path.id ?? '')
      const stored = context.state.files.get(file.id)
      if (stored === undefined) {
        throw apiError(
          500,
          `[stripe-simulator] File ${file.id} has no contents (files added through the store carry no bytes).`,
        )
      }
      return new FileBody(stored.bytes, stored.mime)
    },
  },
  {
    method: 'GET',
    template: '/v1/file_links/:id',
    permission: 'rak_file_read',
    handle: (context) => {
      const expand = readExpand(context, 'file_link', false)
      context.params.finish()
      return expand(
        linkView(context, findOr404(context, 'file_link', context.path.id ?? '') as FileLinkObject),
      )
    },
  },
  { method: 'POST', template: '/v1/file_links', permission: 'rak_file_write', handle: createLink },
]

function createLink(context: RouteContext): unknown {
  const { params, now } = context
  const fileId = params.string('file')
  const expiresAt = params.integer('expires_at')
  const metadata = params.stringMap('metadata') ?? {}
  const expand = readExpand(context, 'file_link', false)
  params.finish()
  if (fileId === undefined) throw missingParameter('file')
  if (context.data.collection('file').get(fileId) === undefined)
    throw notFound(context, 'file', fileId, 'file', 400)
  if (expiresAt !== undefined && expiresAt <= now) {
    throw invalidValue('expires_at', 'The expires_at timestamp must be in the future.')
  }
  const token = `MDB8${context.state.random.alnum(64)}`
  const link: FileLinkObject = {
    id: newId(context.state.random, 'link'),
    object: 'file_link',
    created: now,
    expired: false,
    expires_at: expiresAt ?? null,
    file: fileId,
    livemode: context.data.livemode,
    metadata,
    url: `${context.origin}/links/${token}`,
  }
  context.data.collection('file_link').insert(link, now)
  context.state.links.set(token, {
    account: context.account.info.id,
    livemode: context.data.livemode,
    linkId: link.id,
    fileId,
  })
  return expand(link)
}

/** A file as served: its contents URL points at this simulator, its links are listed. */
function fileView(context: RouteContext, file: FileObject): FileObject {
  const links = context.data
    .collection('file_link')
    .newestFirst()
    .filter((link: StoredObject) => (link as FileLinkObject).file === file.id)
    .map((link) => linkView(context, link as FileLinkObject))
  return {
    ...file,
    url: `${context.origin}/v1/files/${file.id}/contents`,
    links: {
      object: 'list',
      data: links.slice(0, 10),
      has_more: links.length > 10,
      url: `/v1/file_links?file=${file.id}`,
    },
  }
}

/** A link as served: `expired` is computed from the simulator clock. */
function linkView(context: RouteContext, link: FileLinkObject): FileLinkObject {
  return { ...link, expired: link.expires_at !== null && link.expires_at <= context.now }
}
