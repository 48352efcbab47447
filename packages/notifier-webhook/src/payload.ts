import type { DomainEventType, EventAccount, Notification } from '@cashnotify/core/notifier'
import { z } from 'zod'

/**
 * The version of {@link WebhookPayload}, sent as its `version` field. A change that could break a
 * receiver (a field removed, renamed or retyped) gets a new version; new optional fields and new event
 * types do not.
 */
export const WEBHOOK_PAYLOAD_VERSION = '2026-11-01'

const isoDate = z.iso.datetime()

const moneySchema = z.object({
  amount: z.number().int(),
  currency: z.string(),
  formatted: z.string(),
})

const accountSchema = z.object({
  id: z.string(),
  name: z.string(),
  mode: z.literal(['live', 'test']),
  logoUrl: z.string().optional(),
})

const customerSchema = z.object({
  id: z.string().optional(),
  email: z.string().optional(),
  name: z.string().optional(),
  country: z.string().optional(),
})

const productLineSchema = z.object({
  id: z.string().optional(),
  name: z.string().optional(),
  quantity: z.number(),
  amount: moneySchema.optional(),
})

const subscriptionSchema = z.object({
  id: z.string(),
  status: z.string().optional(),
  interval: z.literal(['day', 'week', 'month', 'year']).optional(),
  intervalCount: z.number().int().optional(),
  amount: moneySchema.optional(),
})

/** A raw Stripe event, only checked for its id and type: Stripe owns its shape. */
const stripeEventSchema = z.looseObject({ id: z.string(), type: z.string() })

/** The fields every domain event has, JSON-safe. */
const eventBase = {
  id: z.string(),
  account: accountSchema,
  livemode: z.boolean(),
  createdAt: isoDate,
  backfill: z.boolean(),
  dashboardUrl: z.string().optional(),
  unavailable: z.record(z.string(), z.string()),
  /** Present only when the notifier is created with `includeStripeEvents: true`. */
  stripeEvents: z.array(stripeEventSchema).optional(),
}

/** The payload of one event type: the envelope, and the domain event of that type as `data`. */
function variant<T extends DomainEventType, S extends z.ZodRawShape>(type: T, fields: S) {
  return z.object({
    version: z.literal(WEBHOOK_PAYLOAD_VERSION),
    id: z.string(),
    type: z.literal(type),
    createdAt: isoDate,
    livemode: z.boolean(),
    account: accountSchema,
    title: z.string(),
    body: z.string(),
    url: z.string().optional(),
    amount: moneySchema.optional(),
    data: z.object({ ...eventBase, type: z.literal(type), ...fields }),
  })
}

/**
 * The zod schema of the JSON body the `json` format POSTs: validate what you receive with it.
 * It is a union discriminated by `type`, so checking `payload.type` narrows `payload.data`.
 * Objects are not strict: fields added later in the same version are stripped, not refused.
 *
 * @example
 * ```ts
 * import { webhookPayloadSchema } from '@cashnotify/notifier-webhook'
 *
 * function onWebhook(json: unknown): void {
 *   const payload = webhookPayloadSchema.parse(json) // throws on anything else
 *   if (payload.type === 'sale') console.log(payload.data.amount.formatted, payload.data.customer?.email)
 * }
 * ```
 */
export const webhookPayloadSchema = z.discriminatedUnion('type', [
  variant('sale', saleFields()),
  variant('sale.updated', { ...saleFields(), saleId: z.string(), completed: z.array(z.string()) }),
  variant('refund', {
    amount: moneySchema,
    full: z.boolean(),
    chargeAmount: moneySchema.optional(),
    customer: customerSchema.optional(),
    chargeId: z.string(),
    reason: z.string().optional(),
  }),
  variant('payment.failed', {
    amount: moneySchema,
    declineCode: z.string().optional(),
    reason: z.string().optional(),
    customer: customerSchema.optional(),
    subscription: subscriptionSchema.optional(),
    paymentIntentId: z.string().optional(),
    invoiceId: z.string().optional(),
  }),
  variant('dispute.created', {
    amount: moneySchema,
    reason: z.string(),
    evidenceDueBy: isoDate.optional(),
    chargeId: z.string().optional(),
  }),
  variant('dispute.closed', {
    amount: moneySchema,
    outcome: z.string(),
    chargeId: z.string().optional(),
  }),
  variant('subscription.created', {
    subscription: subscriptionSchema,
    customer: customerSchema.optional(),
    products: z.array(productLineSchema),
    trialEnd: isoDate.optional(),
  }),
  variant('subscription.canceled', {
    subscription: subscriptionSchema,
    customer: customerSchema.optional(),
    scheduled: z.boolean(),
    endsAt: isoDate.optional(),
    reason: z.string().optional(),
  }),
  variant('subscription.trial_will_end', {
    subscription: subscriptionSchema,
    customer: customerSchema.optional(),
    trialEnd: isoDate.optional(),
  }),
  variant('payout.paid', payoutFields()),
  variant('payout.failed', payoutFields()),
])

function saleFields() {
  return {
    amount: moneySchema,
    fee: moneySchema.optional(),
    net: moneySchema.optional(),
    customer: customerSchema.optional(),
    products: z.array(productLineSchema),
    subscription: subscriptionSchema.optional(),
    paymentIntentId: z.string().optional(),
    chargeId: z.string().optional(),
    invoiceId: z.string().optional(),
    description: z.string().optional(),
  }
}

function payoutFields() {
  return {
    amount: moneySchema,
    arrivalDate: isoDate.optional(),
    payoutId: z.string(),
    failureCode: z.string().optional(),
    failureMessage: z.string().optional(),
  }
}

/**
 * The JSON body the `json` format POSTs, version {@link WEBHOOK_PAYLOAD_VERSION}:
 *
 * - `version`: the payload version, `2026-11-01`;
 * - `id`: the notification's idempotency id, also sent as the `webhook-id` header: the same event always
 *   has the same id, across retries and restarts, so a receiver can drop duplicates;
 * - `type`: the domain event type (`sale`, `refund`, `payment.failed` …);
 * - `createdAt`: when the event happened, ISO 8601;
 * - `livemode`: live or test data;
 * - `account`: `{ id, name, mode, logoUrl? }`, the Stripe account;
 * - `title`, `body`: ready-made text, e.g. `$49.00 sale · Acme Inc`;
 * - `url`: the object in the Stripe dashboard, when there is one;
 * - `amount`: the main amount `{ amount, currency, formatted }` in minor units, when there is one;
 * - `data`: the domain event itself, with dates as ISO strings; its fields depend on `type`.
 */
export type WebhookPayload = z.infer<typeof webhookPayloadSchema>

/** The `data` of a {@link WebhookPayload}: the domain event, JSON-safe. */
export type WebhookEventData = WebhookPayload['data']

/**
 * The `json` body of a notification, as sent. `JSON.stringify` writes dates as ISO strings and leaves out
 * `undefined` fields, which is what the schema says of `data`: no copy of the event is made for it.
 */
export function payloadBody(notification: Notification, includeStripeEvents: boolean): string {
  const { stripeEvents, ...event } = notification.event
  // Checked field by field against the schema, for every event type, by the package's tests.
  return JSON.stringify({
    version: WEBHOOK_PAYLOAD_VERSION,
    id: notification.id,
    type: notification.type,
    createdAt: notification.createdAt,
    livemode: notification.livemode,
    account: accountJson(notification.account),
    title: notification.title,
    body: notification.body,
    url: notification.url,
    amount: notification.amount,
    data: {
      ...event,
      // In place (same key order): the account without its logo bytes.
      account: accountJson(event.account),
      ...(includeStripeEvents ? { stripeEvents } : {}),
    },
  })
}

/** The account without its logo's bytes: only a public logo URL travels. */
export function accountJson(account: EventAccount): WebhookPayload['account'] {
  return {
    id: account.id,
    name: account.name,
    mode: account.mode,
    ...(account.logo.url === undefined ? {} : { logoUrl: account.logo.url }),
  }
}
