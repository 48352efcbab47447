import { DEFAULT_API_VERSION } from './accounts.js'
import { authenticate, readApiKey } from './auth.js'
import { unixSeconds } from './clock.js'
import {
  accountAccessDenied,
  apiError,
  invalidApiVersion,
  permissionDenied,
  rateLimited,
  readAllocationExceeded,
  StripeApiError,
  unrecognizedUrl,
} from './errors.js'
import { maskKey, newId } from './ids.js'
import { hasPermission, type KeyRecord, removePermission } from './keys.js'
import { ParamReader, parseParams } from './params.js'
import { atLeast, requestedVersion } from './render/versions.js'
import { bytesReply, type HttpReply, json, type Reply } from './reply.js'
import { FileBody, matchRoute, type Route, type RouteMatch } from './router.js'
import { accountRoutes } from './routes/account.js'
import { eventRoutes } from './routes/events.js'
import { fileRoutes } from './routes/files.js'
import { lineRoutes } from './routes/lines.js'
import { serveLink } from './routes/links.js'
import { resourceRoutes } from './routes/resources.js'
import { webhookEndpointRoutes } from './routes/webhook-endpoints.js'
import type { SimState } from './state.js'

const ROUTES: readonly Route[] = [
  ...accountRoutes,
  ...eventRoutes,
  ...resourceRoutes,
  ...lineRoutes,
  ...fileRoutes,
  ...webhookEndpointRoutes,
]
const LINK_PATH = /^\/links\/([^/]+)$/
// A dated version, its release name, and optional preview flags (`2025-01-27.acacia; feature_beta=v1`).
const API_VERSION = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?(;\s*[\w.=-]+)*$/

/** Who a request is, as far as it can be told before authentication. */
interface Incoming {
  readonly request: Request
  readonly url: URL
  readonly method: string
  readonly requestId: string
  readonly match: RouteMatch | undefined
  readonly linkToken: string | undefined
  readonly endpoint: string
  readonly rawKey: string | undefined
  readonly record: KeyRecord | undefined
  readonly account: string | undefined
  readonly livemode: boolean | undefined
}

/** Answers one request as Stripe would, counts it, and applies faults. The only entry point. */
export async function handleRequest(state: SimState, request: Request): Promise<Response> {
  const at = state.windowClock.now()
  catchUp(state)
  const incoming = identify(state, request)
  let reply: Reply
  try {
    reply = await respond(state, incoming)
  } catch (error) {
    reply = errorReply(state, incoming, error)
  }
  countRead(state, incoming, reply === 'reset' ? 0 : reply.status)
  state.requests.record(
    {
      at,
      requestId: incoming.requestId,
      method: incoming.method,
      path: incoming.url.pathname,
      params: [...new Set(incoming.url.searchParams.keys())],
      endpoint: incoming.endpoint,
      key: incoming.rawKey === undefined ? null : maskKey(incoming.rawKey),
      account: incoming.account ?? null,
      livemode: incoming.livemode ?? null,
      status: reply === 'reset' ? 0 : reply.status,
    },
    incoming.rawKey,
  )
  if (reply === 'reset') return Response.error()
  const version = request.headers.get('stripe-version')
  const headers = new Headers(reply.headers)
  headers.set('Request-Id', incoming.requestId)
  headers.set(
    'Stripe-Version',
    version !== null && API_VERSION.test(version)
      ? version
      : (state.accounts.get(incoming.account ?? '')?.info.apiVersion ?? DEFAULT_API_VERSION),
  )
  return new Response(reply.body, { status: reply.status, headers })
}

/** What was due by now (a payout arriving, a webhook retry) happens before anything is read. */
function catchUp(state: SimState): void {
  const now = unixSeconds(state.clock)
  for (const account of state.accounts.values()) {
    account.test.catchUp(now)
    account.live.catchUp(now)
  }
  state.webhooks.pump()
}

/**
 * A read, for the read allocation: a GET to the API authenticated as an account. Unauthenticated ones
 * (401), refused ones (429) and resets never reached the account's data; 4xx answers did.
 */
function countRead(state: SimState, incoming: Incoming, status: number): void {
  const { record } = incoming
  if (incoming.method !== 'GET' || incoming.linkToken !== undefined || record === undefined) return
  if (record.kind === 'publishable' || status === 0 || status === 401 || status === 429) return
  state.reads.record(record.account)
}

function identify(state: SimState, request: Request): Incoming {
  const url = new URL(request.url)
  const method = request.method.toUpperCase()
  const linkToken = method === 'GET' ? LINK_PATH.exec(url.pathname)?.[1] : undefined
  const match = linkToken === undefined ? matchRoute(ROUTES, method, url.pathname) : undefined
  const rawKey = linkToken === undefined ? readApiKey(request) : undefined
  const record = rawKey === undefined ? undefined : state.keys.find(rawKey)
  const link = linkToken === undefined ? undefined : state.links.get(linkToken)
  return {
    request,
    url,
    method,
    requestId: newId(state.random, 'req'),
    match,
    linkToken,
    endpoint:
      linkToken !== undefined ? 'GET /links/:token' : (match?.endpoint ?? `${method} ${url.pathname}`),
    rawKey,
    record,
    account: record?.account ?? link?.account,
    livemode: record === undefined ? link?.livemode : record.mode === 'live',
  }
}

async function respond(state: SimState, incoming: Incoming): Promise<Reply> {
  let malformed = false
  const target = { key: incoming.rawKey, account: incoming.account, endpoint: incoming.endpoint }
  for (const fault of state.faults.take(target)) {
    if (fault.kind === 'delay') await new Promise((resolve) => setTimeout(resolve, fault.delayMs))
    else if (fault.kind === 'revoke' && incoming.record) incoming.record.state = 'revoked'
    else if (fault.kind === 'remove_permission' && incoming.record && fault.permission !== undefined) {
      removePermission(incoming.record, fault.permission)
    } else if (fault.kind === 'reset') return 'reset'
    else if (fault.kind === 'server_error') throw apiError(fault.status ?? 500)
    else if (fault.kind === 'rate_limit') throw rateLimited('global-rate')
    else if (fault.kind === 'malformed') malformed = true
  }
  const reply =
    incoming.linkToken === undefined ? await serveApi(state, incoming) : serveLink(state, incoming.linkToken)
  if (!malformed || typeof reply.body !== 'string') return reply
  // A body cut mid-way: valid headers, invalid JSON, as a proxy dropping the end of a response would give.
  return { ...reply, status: 200, body: reply.body.slice(0, Math.max(1, Math.floor(reply.body.length / 2))) }
}

async function serveApi(state: SimState, incoming: Incoming): Promise<HttpReply> {
  const { request, match, method, url } = incoming
  const key = authenticate(state.keys, incoming.rawKey)
  if (match === undefined) throw unrecognizedUrl(method, url.pathname)
  const version = request.headers.get('stripe-version')
  if (version !== null && !API_VERSION.test(version)) throw invalidApiVersion(version)
  const stripeAccount = request.headers.get('stripe-account')
  if (stripeAccount !== null && stripeAccount !== key.account) {
    throw accountAccessDenied(key.key, stripeAccount)
  }
  const livemode = key.mode === 'live'
  const account = state.accounts.get(key.account)
  if (account === undefined) throw apiError(500, `[stripe-simulator] Account ${key.account} is gone.`)
  const overAllocation = method === 'GET' ? state.reads.refusal(account) : undefined
  if (overAllocation !== undefined) throw readAllocationExceeded(overAllocation, state.reads.rules)
  const limited = state.rateLimiter.admit({
    account: key.account,
    livemode,
    endpoint: match.endpoint,
    write: method !== 'GET',
  })
  if (limited !== null) throw rateLimited(limited)
  const since = match.route.since
  const answeredAt = requestedVersion(version, state.accounts.get(key.account)?.info.apiVersion ?? '')
  if (since !== undefined && !atLeast(answeredAt, since)) throw unrecognizedUrl(method, url.pathname)
  if (!hasPermission(key, match.route.permission)) {
    throw permissionDenied(key.key, key.account, match.route.permission)
  }
  const body = method === 'GET' ? '' : await request.text()
  const pairs = new URLSearchParams(url.search)
  for (const [name, value] of new URLSearchParams(body)) pairs.append(name, value)

  const idempotencyKey = method === 'POST' ? request.headers.get('idempotency-key') : null
  const scope = `${key.account}:${key.mode}`
  const fingerprint = `${match.endpoint}\n${pairs.toString()}`
  const saved =
    idempotencyKey === null ? undefined : state.idempotency.replay(scope, idempotencyKey, fingerprint)
  // Only successes are saved: a retried POST that failed runs again (Stripe also replays 4xx answers).
  if (saved !== undefined) return json(saved.status, saved.body, { 'Idempotent-Replayed': 'true' })

  const result = await match.route.handle({
    state,
    request,
    path: match.path,
    params: new ParamReader(parseParams(pairs)),
    key,
    account,
    data: livemode ? account.live : account.test,
    other: livemode ? account.test : account.live,
    now: unixSeconds(state.clock),
    origin: url.origin,
  })
  if (result instanceof FileBody) return bytesReply(result)
  const text = JSON.stringify(result, null, 2)
  if (idempotencyKey !== null) state.idempotency.save(scope, idempotencyKey, fingerprint, 200, text)
  return json(200, text)
}

function errorReply(state: SimState, incoming: Incoming, error: unknown): HttpReply {
  const failure =
    error instanceof StripeApiError
      ? error
      : apiError(
          500,
          `[stripe-simulator] Internal error: ${error instanceof Error ? error.message : String(error)}`,
        )
  const body = { ...failure.body }
  // Stripe links errors of authenticated requests to the dashboard's request log.
  if (incoming.record?.state === 'active' && failure.status !== 401) {
    const test = incoming.record.mode === 'test' ? 'test/' : ''
    body.request_log_url = `https://dashboard.stripe.com/${test}logs/${incoming.requestId}?t=${unixSeconds(state.clock)}`
  }
  return json(failure.status, JSON.stringify({ error: body }, null, 2), { ...failure.headers })
}
