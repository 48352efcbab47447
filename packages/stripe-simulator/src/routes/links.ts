import type Stripe from 'stripe'
import { unixSeconds } from '../clock.js'
import { bytesReply, type HttpReply, json } from '../reply.js'
import type { SimState } from '../state.js'
import type { Wire } from '../wire.js'

/**
 * `GET /links/:token`: a public file link, served without authentication (anyone with the URL may
 * fetch it, as with Stripe's `files.stripe.com/links/...`). Expired or unknown links answer 404.
 */
export function serveLink(state: SimState, token: string): HttpReply {
  const target = state.links.get(token)
  const account = target === undefined ? undefined : state.accounts.get(target.account)
  const data =
    account === undefined || target === undefined ? undefined : target.livemode ? account.live : account.test
  const link = data?.collection('file_link').get(target?.linkId ?? '') as Wire<Stripe.FileLink> | undefined
  const file = target === undefined ? undefined : state.files.get(target.fileId)
  if (link === undefined || file === undefined) return notFound('This file link does not exist.')
  if (link.expires_at !== null && link.expires_at <= unixSeconds(state.clock)) {
    return notFound('This file link has expired.')
  }
  return bytesReply(file)
}

function notFound(message: string): HttpReply {
  return json(404, JSON.stringify({ error: { type: 'invalid_request_error', message } }, null, 2))
}
