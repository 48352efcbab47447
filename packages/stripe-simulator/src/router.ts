import type { KeyRecord } from './keys.js'
import type { ParamReader } from './params.js'
import type { AccountState, SimState } from './state.js'
import type { ModeData } from './store.js'

/** What a route handler gets: the authenticated, permitted, rate-limited request. */
export interface RouteContext {
  readonly state: SimState
  readonly request: Request
  /** `:name` segments of the path template. */
  readonly path: Readonly<Record<string, string>>
  /** Query (GET) or form body (POST) parameters; handlers read what they accept, the rest is refused. */
  readonly params: ParamReader
  readonly key: KeyRecord
  readonly account: AccountState
  /** The key's mode's data. */
  readonly data: ModeData
  /** The other mode's data, for Stripe's "a similar object exists in live mode" hint. */
  readonly other: ModeData
  /** Simulator time in Unix seconds. */
  readonly now: number
  /** Origin the request was made to (`http://127.0.0.1:1234`), for URLs that point back at the simulator. */
  readonly origin: string
}

/** A handler result served as raw bytes (file contents) instead of JSON. */
export class FileBody {
  constructor(
    readonly bytes: Uint8Array<ArrayBuffer>,
    readonly mime: string,
  ) {}
}

/** One endpoint. */
export interface Route {
  readonly method: 'GET' | 'POST' | 'DELETE'
  /** Path template with `:name` segments, e.g. `/v1/customers/:id`. */
  readonly template: string
  /** Permission a restricted key needs. */
  readonly permission: string
  /** First API version that has the endpoint; at older ones it answers 404 like an unknown URL. */
  readonly since?: string
  /** The JSON body of a 200, or a {@link FileBody}. */
  readonly handle: (context: RouteContext) => unknown
}

/** A route matched to a path. */
export interface RouteMatch {
  readonly route: Route
  readonly path: Record<string, string>
  /** `GET /v1/customers/:id`: how counters, faults and rate limits name the endpoint. */
  readonly endpoint: string
}

/** Finds the route of a method and path (only an exact method match counts, as on Stripe). */
export function matchRoute(
  routes: readonly Route[],
  method: string,
  pathname: string,
): RouteMatch | undefined {
  const segments = pathname.split('/')
  for (const route of routes) {
    if (route.method !== method) continue
    const template = route.template.split('/')
    if (template.length !== segments.length) continue
    const path: Record<string, string> = {}
    const ok = template.every((part, i) => {
      const actual = segments[i] ?? ''
      if (part.startsWith(':')) {
        const decoded = safeDecode(actual)
        if (decoded === undefined || decoded === '') return false
        path[part.slice(1)] = decoded
        return true
      }
      return part === actual
    })
    if (ok) return { route, path, endpoint: `${route.method} ${route.template}` }
  }
  return undefined
}

function safeDecode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment)
  } catch {
    return undefined // malformed %-escape: no route matches it
  }
}
