import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  type CashNotifyError,
  InvalidKeyError,
  MissingPermissionError,
  parseKey,
  RateLimitedError,
  StripeRequestError,
  StripeUnavailableError,
} from '../src/index.js'
import { StripeGateway } from '../src/stripe/client.js'
import { RequestBudget } from '../src/stripe/request-budget.js'

/** One canned Stripe answer per test: the mapping from stripe-node's errors is what is under test. */
const server = setupServer()
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => server.resetHandlers())
afterAll(() => server.close())

const key = parseKey('rk_test_51HabcdefghijklmnopqrstuvwxYZ0123')
const stripeError = (status: number, error: Record<string, unknown>, headers: Record<string, string> = {}) =>
  http.get('https://api.stripe.com/v1/events', () => HttpResponse.json({ error }, { status, headers }))

async function failure(options: { keyWasValid?: boolean } = {}): Promise<CashNotifyError> {
  const gateway = new StripeGateway(key, new RequestBudget('test', { startFull: false }), {}, { retries: 0 })
  if (options.keyWasValid) gateway.markKeyValid()
  try {
    await gateway.call('GET /v1/events', (stripe, auth) => stripe.events.list({ limit: 1 }, auth))
  } catch (error) {
    return error as CashNotifyError
  } finally {
    gateway.close()
  }
  throw new Error('the call succeeded')
}

describe('fromStripeError, through stripe-node', () => {
  it('maps a 401 for an unknown key to key_invalid', async () => {
    server.use(
      stripeError(401, {
        type: 'invalid_request_error',
        message: 'Invalid API Key provided: rk_test_****0123',
      }),
    )
    const error = await failure()
    expect(error).toBeInstanceOf(InvalidKeyError)
    expect(error.code).toBe('key_invalid')
    expect(error.retryable).toBe(false)
  })

  it('maps a 401 api_key_expired to key_expired', async () => {
    server.use(
      stripeError(401, {
        type: 'invalid_request_error',
        code: 'api_key_expired',
        message: 'Expired API Key',
      }),
    )
    expect((await failure()).code).toBe('key_expired')
  })

  it('maps a 401 for a key that worked before to key_revoked', async () => {
    server.use(
      stripeError(401, {
        type: 'invalid_request_error',
        message: 'Invalid API Key provided: rk_test_****0123',
      }),
    )
    expect((await failure({ keyWasValid: true })).code).toBe('key_revoked')
  })

  it('maps a 403 to MissingPermissionError naming the permission', async () => {
    server.use(
      stripeError(403, {
        type: 'invalid_request_error',
        message:
          "The provided key 'rk_test_*****0123' does not have the required permissions for this endpoint on account 'acct_1Abc'. Having the 'rak_event_read' permission would allow this request to continue.",
      }),
    )
    const error = await failure()
    expect(error).toBeInstanceOf(MissingPermissionError)
    expect((error as MissingPermissionError).permission).toBe('rak_event_read')
    expect(error.message).toContain('`rak_event_read`')
  })

  it('maps a 429 to a retryable RateLimitedError, and honours Stripe-Should-Retry: false', async () => {
    server.use(
      stripeError(
        429,
        { type: 'invalid_request_error', code: 'rate_limit', message: 'Request rate limit exceeded.' },
        { 'Stripe-Rate-Limited-Reason': 'endpoint-rate' },
      ),
    )
    const error = await failure()
    expect(error).toBeInstanceOf(RateLimitedError)
    expect((error as RateLimitedError).reason).toBe('endpoint-rate')
    expect(error.retryable).toBe(true)
    server.use(
      stripeError(429, { type: 'invalid_request_error', message: 'no' }, { 'Stripe-Should-Retry': 'false' }),
    )
    expect((await failure()).retryable).toBe(false)
  })

  it.each([500, 502, 503])(
    'maps a %i to a retryable StripeUnavailableError, never an invalid key',
    async (status) => {
      server.use(stripeError(status, { type: 'api_error', message: 'Something went wrong' }))
      const error = await failure()
      expect(error).toBeInstanceOf(StripeUnavailableError)
      expect((error as StripeUnavailableError).status).toBe(status)
      expect(error.retryable).toBe(true)
    },
  )

  it('maps a network failure and a malformed body to StripeUnavailableError', async () => {
    server.use(http.get('https://api.stripe.com/v1/events', () => HttpResponse.error()))
    expect(await failure()).toBeInstanceOf(StripeUnavailableError)
    server.use(
      http.get('https://api.stripe.com/v1/events', () => new HttpResponse('{"object": "li', { status: 200 })),
    )
    expect(await failure()).toBeInstanceOf(StripeUnavailableError)
  })

  it('maps other refusals to StripeRequestError with Stripe’s code', async () => {
    server.use(
      stripeError(404, {
        type: 'invalid_request_error',
        code: 'resource_missing',
        message: "No such event: 'evt_1'",
      }),
    )
    const error = await failure()
    expect(error).toBeInstanceOf(StripeRequestError)
    expect((error as StripeRequestError).stripeCode).toBe('resource_missing')
    expect((error as StripeRequestError).status).toBe(404)
  })
})
