/** A JSON object as the renderer sees it: any Stripe object, at any API version. */
export type Json = Record<string, unknown>

/** Where the renderer looks up related objects (the account's store in one mode). */
export interface RenderSource {
  /** The stored object of a kind and id (not a copy: never change it). */
  get(kind: string, id: string): Json | undefined
  /** Every stored object of a kind, newest first (not copies: never change them). */
  list(kind: string): readonly Json[]
}

/** Whether a string is an API version: a date and an optional release name (`2025-03-31.basil`). */
export function isApiVersion(version: string): boolean {
  return /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/.test(version)
}

/**
 * Whether `version` is `since` or newer. Versions compare by their date (`2025-03-31.basil` is
 * `2025-03-31`); a release name or preview flags after the date do not matter.
 */
export function atLeast(version: string, since: string): boolean {
  return version.slice(0, 10) >= since.slice(0, 10)
}

/** The version a request asks for: its `Stripe-Version` header without preview flags, else the fallback. */
export function requestedVersion(header: string | null, fallback: string): string {
  const version = header?.split(';')[0]?.trim()
  return version === undefined || version === '' ? fallback : version
}

/** `value` as a JSON object, or undefined. */
export function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined
}

/** The id a field holds, whether it is an id or an expanded object. */
export function idOf(value: unknown): string | null {
  if (typeof value === 'string') return value
  const id = record(value)?.id
  return typeof id === 'string' ? id : null
}

/** A list envelope, as Stripe embeds lists in objects. */
export function listOf(data: readonly Json[], url: string): Json {
  // A list inside an object shows its first page, as on Stripe: the rest is read from `url`.
  return {
    object: 'list',
    data: data.slice(0, EMBEDDED_LIST_LIMIT),
    has_more: data.length > EMBEDDED_LIST_LIMIT,
    url,
  }
}

/** The items a list inside an object shows (`charge.refunds`, a Checkout Session's `line_items` …). */
export const EMBEDDED_LIST_LIMIT = 10
