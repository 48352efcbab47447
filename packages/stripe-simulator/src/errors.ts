import { maskKey } from './ids.js'

/** The `error` object of a Stripe error response. */
export interface StripeErrorBody {
  type: 'invalid_request_error' | 'api_error' | 'idempotency_error'
  message: string
  code?: string
  param?: string
  doc_url?: string
  request_log_url?: string
}

/**
 * An error answered the way Stripe answers it. Thrown anywhere in request handling and turned into
 * the response by the pipeline, so handlers read as straight-line code.
 */
export class StripeApiError extends Error {
  override readonly name = 'StripeApiError'
  readonly status: number
  readonly body: StripeErrorBody
  readonly headers: Readonly<Record<string, string>>

  constructor(status: number, body: StripeErrorBody, headers: Readonly<Record<string, string>> = {}) {
    super(body.message)
    this.status = status
    this.body = body
    this.headers = headers
  }
}

const SUPPORT = 'we can help at https://support.stripe.com/'

/** Stripe asks for credentials on every 401, as HTTP says a 401 must (RFC 9110, section 11.6.1). */
const CHALLENGE: Readonly<Record<string, string>> = { 'WWW-Authenticate': 'Basic realm="Stripe"' }

function invalid(status: number, message: string, extra: Partial<StripeErrorBody> = {}): StripeApiError {
  const body: StripeErrorBody = { type: 'invalid_request_error', message, ...extra }
  if (body.code !== undefined && body.doc_url === undefined) {
    body.doc_url = `https://stripe.com/docs/error-codes/${body.code.replaceAll('_', '-')}`
  }
  return new StripeApiError(status, body, status === 401 ? CHALLENGE : {})
}

/** 401: no key in the request. */
export const missingKey = (): StripeApiError =>
  invalid(
    401,
    "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). " +
      `See https://stripe.com/docs/api#authentication for details, or ${SUPPORT}.`,
  )

/** 401: unknown, deleted or rolled key. The key is masked here (last 4 shown), never by callers. */
export const invalidKey = (key: string): StripeApiError =>
  invalid(401, `Invalid API Key provided: ${maskKey(key)}`)

/** 401 `api_key_expired` (last 4 characters shown). */
export const expiredKey = (key: string): StripeApiError =>
  invalid(401, `Expired API Key provided: ${maskKey(key)}`, { code: 'api_key_expired' })

/** 401: a publishable key where a secret one is needed. */
export const publishableKey = (): StripeApiError =>
  invalid(
    401,
    'This API call cannot be made with a publishable API key. Please use a secret API key. You can find a list of your API keys at https://dashboard.stripe.com/account/apikeys.',
  )

/**
 * 403: a restricted key without the permission the endpoint (or an expansion) needs. Stripe's 403
 * messages show the last 6 characters of the key, not 4 as its 401 messages do.
 */
export const permissionDenied = (key: string, account: string, permission: string): StripeApiError =>
  invalid(
    403,
    `The provided key '${maskKey(key, 6)}' does not have the required permissions for this endpoint on account '${account}'. ` +
      `Having the '${permission}' permission would allow this request to continue.`,
  )

/** 403: a `Stripe-Account` header naming an account the key cannot act on (masked as other 403s). */
export const accountAccessDenied = (key: string, account: string): StripeApiError =>
  invalid(
    403,
    `The provided key '${maskKey(key, 6)}' does not have access to account '${account}' (or that account does not exist). Application access may have been revoked.`,
    { code: 'account_invalid' },
  )

/** 404 for a path (or method) Stripe does not serve. */
export const unrecognizedUrl = (method: string, path: string): StripeApiError =>
  invalid(
    404,
    `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or ${SUPPORT}.`,
  )

/** 400 `parameter_unknown`. */
export const unknownParameter = (param: string): StripeApiError =>
  invalid(400, `Received unknown parameter: ${param}`, { code: 'parameter_unknown', param })

/** 400 for a real Stripe parameter this simulator does not implement (so a test never passes by accident). */
export const unsupportedParameter = (param: string): StripeApiError =>
  invalid(
    400,
    `The Stripe simulator does not support the parameter \`${param}\` (Stripe does). Remove it or extend the simulator.`,
    { param },
  )

/** 400 `parameter_invalid_integer`. */
export const invalidInteger = (param: string, value: string): StripeApiError =>
  invalid(400, `Invalid integer: ${value}`, { code: 'parameter_invalid_integer', param })

/** 400 for an integer outside its allowed range (`limit=0`, `limit=101`), in Stripe's words. */
export const outOfRange = (param: string, min: number, max: number, value: number): StripeApiError =>
  invalid(
    400,
    value < min
      ? `This value must be greater than or equal to ${min}.`
      : `This value must be less than or equal to ${max}.`,
    { code: 'parameter_invalid_integer', param },
  )

/** 400 `parameter_invalid`: a value of the wrong shape. */
export const invalidValue = (param: string, message: string): StripeApiError =>
  invalid(400, message, { code: 'parameter_invalid', param })

/** 400 `parameter_missing`. */
export const missingParameter = (param: string): StripeApiError =>
  invalid(400, `Missing required param: ${param}.`, { code: 'parameter_missing', param })

/** 400 for two parameters that exclude each other. */
export const exclusiveParameters = (a: string, b: string): StripeApiError => {
  const [first, second] = [a, b].sort()
  return invalid(400, `You may only specify one of these parameters: ${first}, ${second}.`, {
    param: first ?? a,
  })
}

/**
 * `resource_missing`: "No such customer: 'cus_x'". 404 for the object of the path, 400 when a
 * parameter names it (Stripe's split). `otherMode` adds Stripe's hint when the id exists in the other mode.
 */
export const resourceMissing = (
  label: string,
  id: string,
  param: string,
  options: { status?: number; otherMode?: 'live' | 'test' } = {},
): StripeApiError => {
  const hint =
    options.otherMode === undefined
      ? ''
      : `; a similar object exists in ${options.otherMode} mode, but a ${options.otherMode === 'live' ? 'test' : 'live'} mode key was used to make this request.`
  return invalid(options.status ?? 404, `No such ${label}: '${id}'${hint}`, {
    code: 'resource_missing',
    param,
  })
}

/** 429 `rate_limit`, with the header that says which limit was hit. */
export const rateLimited = (reason: 'global-rate' | 'endpoint-rate'): StripeApiError =>
  new StripeApiError(
    429,
    {
      type: 'invalid_request_error',
      code: 'rate_limit',
      message:
        'Request rate limit exceeded. You can learn more about rate limits here https://stripe.com/docs/rate-limits.',
      doc_url: 'https://stripe.com/docs/error-codes/rate-limit',
    },
    { 'Stripe-Rate-Limited-Reason': reason },
  )

/**
 * 429 `rate_limit` for a read beyond the account's read allocation. Stripe publishes the allocation, not
 * this answer's wording (the simulator's own). No `Stripe-Rate-Limited-Reason`: Stripe documents that
 * header's values for its rate and concurrency limiters only.
 */
export const readAllocationExceeded = (
  standing: { reads30d: number; transactions30d: number; allocation: number },
  rules: { perTransaction: number; minimum: number },
): StripeApiError =>
  new StripeApiError(429, {
    type: 'invalid_request_error',
    code: 'rate_limit',
    message:
      `Read request allocation exceeded: this account made ${standing.reads30d} read (GET) requests in the last 30 days, ` +
      `and its read allocation is ${standing.allocation} (${rules.perTransaction} per transaction for ${standing.transactions30d} transactions, ` +
      `at least ${rules.minimum}). You can learn more about read request allocations here https://docs.stripe.com/rate-limits#api-read-request-allocations.`,
    doc_url: 'https://stripe.com/docs/error-codes/rate-limit',
  })

/** 400 when an account and mode already have Stripe's maximum of webhook endpoints (the simulator's wording). */
export const tooManyWebhookEndpoints = (max: number, livemode: boolean): StripeApiError =>
  invalid(
    400,
    `You have reached the maximum of ${max} ${livemode ? 'live' : 'test'} mode webhook endpoints on this account. Delete one before you add another.`,
  )

/** 400 for an `expand[]` path that cannot be expanded. */
export const notExpandable = (path: string, suggestion?: string): StripeApiError =>
  invalid(
    400,
    `This property cannot be expanded (${path}).${suggestion === undefined ? '' : ` You may want to try expanding '${suggestion}' instead.`}`,
  )

/** 400 when an `expand[]` path is deeper than Stripe allows. */
export const expandTooDeep = (): StripeApiError =>
  invalid(400, 'You cannot expand more than 4 levels of a property.')

/** 400 for a `Stripe-Version` header that is not a version. */
export const invalidApiVersion = (version: string): StripeApiError =>
  invalid(400, `Invalid Stripe API version: ${version}`, { code: 'api_version_invalid' })

/** 400 `idempotency_error`: an idempotency key reused with other parameters. */
export const idempotencyMismatch = (key: string): StripeApiError =>
  new StripeApiError(400, {
    type: 'idempotency_error',
    message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
  })

/** 5xx `api_error`, as Stripe answers when something fails on its side. */
export const apiError = (status: number, message = 'An unknown error occurred'): StripeApiError =>
  new StripeApiError(status, { type: 'api_error', message })
