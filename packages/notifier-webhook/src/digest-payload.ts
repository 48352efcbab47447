/**
 * The `json` body of a digest: the same envelope and version as a notification's payload, with
 * `type: 'digest'` and the digest as `data` (amounts in minor units, dates as ISO strings).
 */
import type { DigestFigures, DigestNotification, DigestPeriod } from '@cashnotify/core/notifier'
import { z } from 'zod'
import { accountJson, WEBHOOK_PAYLOAD_VERSION } from './payload.js'

const isoDate = z.iso.datetime()
const count = z.number().int().nonnegative()
/** Minor units: 4900 is $49.00, ¥4,900 or 4.900 KWD. */
const amount = z.number().int()

const accountSchema = z.object({
  id: z.string(),
  name: z.string(),
  mode: z.literal(['live', 'test']),
  logoUrl: z.string().optional(),
})

const periodSchema = z.object({
  kind: z.literal(['day', 'week']),
  start: isoDate,
  end: isoDate,
  timeZone: z.string(),
})

const figuresSchema = z.object({
  currency: z.string(),
  gross: amount,
  refunds: amount,
  disputes: amount,
  fees: amount,
  feesUnknown: count,
  net: amount,
  sales: count,
  customers: z.object({ total: count, new: count, returning: count }),
  subscriptions: z.object({ started: count, canceled: count, mrrChange: amount }),
  failedPayments: count,
  payouts: z.object({ count, amount }),
  topProducts: z.array(
    z.object({ name: z.string(), productId: z.string().optional(), amount, quantity: z.number() }),
  ),
  topCountries: z.array(z.object({ country: z.string(), amount, sales: count })),
  series: z.array(amount),
})

const comparisonSchema = z.object({ current: figuresSchema, previous: figuresSchema })

/**
 * The zod schema of a digest's `json` body. A receiver tells it from a notification by `type`:
 * `type === 'digest'` parses with this, anything else with `webhookPayloadSchema`.
 *
 * @example
 * ```ts
 * import { webhookDigestPayloadSchema, webhookPayloadSchema } from '@cashnotify/notifier-webhook'
 *
 * function onWebhook(json: { type?: unknown }): void {
 *   if (json.type === 'digest') {
 *     const { data } = webhookDigestPayloadSchema.parse(json)
 *     for (const { current } of data.currencies) console.log(current.currency, current.gross, current.sales)
 *   } else {
 *     console.log(webhookPayloadSchema.parse(json).title)
 *   }
 * }
 * ```
 */
export const webhookDigestPayloadSchema = z.object({
  version: z.literal(WEBHOOK_PAYLOAD_VERSION),
  id: z.string(),
  type: z.literal('digest'),
  createdAt: isoDate,
  livemode: z.boolean(),
  account: accountSchema.optional(),
  title: z.string(),
  body: z.string(),
  data: z.object({
    id: z.string(),
    schedule: z.string(),
    scope: z.literal(['account', 'all']),
    account: accountSchema.optional(),
    accounts: z.array(accountSchema),
    livemode: z.boolean(),
    period: periodSchema,
    previousPeriod: periodSchema,
    currencies: z.array(comparisonSchema),
    total: comparisonSchema.optional(),
    empty: z.boolean(),
    createdAt: isoDate,
  }),
})

/**
 * The JSON body of a digest (a day's or a week's summary), version {@link WEBHOOK_PAYLOAD_VERSION}:
 *
 * - `version`, `id` (the digest's stable id, also the `webhook-id` header), `type: 'digest'`,
 *   `createdAt` (when the digest was made), `livemode`, `title`, `body`: as in a notification's payload;
 * - `account`: the account of a one-account digest, absent for a digest of every account;
 * - `data`: the digest: `schedule`, `scope`, `accounts`, `period` and `previousPeriod`
 *   (`{ kind, start, end, timeZone }`), `currencies` (per currency, largest gross first, `current` and
 *   `previous` figures in minor units), `total` (only when the app converts currencies), `empty`.
 */
export type WebhookDigestPayload = z.infer<typeof webhookDigestPayloadSchema>

/** The `json` body of a digest. */
export function buildDigestPayload(notification: DigestNotification): WebhookDigestPayload {
  const { digest } = notification
  const account = digest.account ? accountJson(digest.account) : undefined
  return {
    version: WEBHOOK_PAYLOAD_VERSION,
    id: notification.id,
    type: 'digest',
    createdAt: digest.createdAt.toISOString(),
    livemode: digest.livemode,
    ...(account ? { account } : {}),
    title: notification.title,
    body: notification.body,
    data: {
      id: digest.id,
      schedule: digest.schedule,
      scope: digest.scope,
      ...(account ? { account } : {}),
      accounts: digest.accounts.map(accountJson),
      livemode: digest.livemode,
      period: periodJson(digest.period),
      previousPeriod: periodJson(digest.previousPeriod),
      currencies: digest.currencies.map(({ current, previous }) => ({
        current: figuresJson(current),
        previous: figuresJson(previous),
      })),
      ...(digest.total
        ? {
            total: {
              current: figuresJson(digest.total.current),
              previous: figuresJson(digest.total.previous),
            },
          }
        : {}),
      empty: digest.empty,
      createdAt: digest.createdAt.toISOString(),
    },
  }
}

function periodJson(period: DigestPeriod): z.infer<typeof periodSchema> {
  return {
    kind: period.kind,
    start: period.start.toISOString(),
    end: period.end.toISOString(),
    timeZone: period.timeZone,
  }
}

/** The figures field by field, so a field added to core's type is a choice here, not an accident. */
function figuresJson(f: DigestFigures): z.infer<typeof figuresSchema> {
  return {
    currency: f.currency,
    gross: f.gross,
    refunds: f.refunds,
    disputes: f.disputes,
    fees: f.fees,
    feesUnknown: f.feesUnknown,
    net: f.net,
    sales: f.sales,
    customers: { ...f.customers },
    subscriptions: { ...f.subscriptions },
    failedPayments: f.failedPayments,
    payouts: { ...f.payouts },
    topProducts: f.topProducts.map((p) => ({
      name: p.name,
      ...(p.productId === undefined ? {} : { productId: p.productId }),
      amount: p.amount,
      quantity: p.quantity,
    })),
    topCountries: f.topCountries.map((c) => ({ country: c.country, amount: c.amount, sales: c.sales })),
    series: [...f.series],
  }
}
