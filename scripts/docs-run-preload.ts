// Loaded before each ```ts block that `scripts/run-docs.mjs` runs (`node --import tsx --import <this>`):
// the block runs as written, but Stripe is the simulator. msw answers https://api.stripe.com from a
// simulated shop making sales, and any other outside address with an empty 204 (a webhook receiver
// the block names, e.g. https://example.com/hooks/sales); loopback traffic passes through. The
// environment variables the docs read are set: STRIPE_KEY (a restricted key with every permission),
// the webhook secrets (the notifiers' and Stripe's endpoint's) and URLs, SMTP_PASS. The block gets
// RUN_SECONDS to do its work; then the process ends with code 0 unless something failed (an uncaught
// exception or an unhandled rejection exits 1).
import { StripeSimulator } from '@cashnotify/stripe-simulator'
import { stripeHandlers } from '@cashnotify/stripe-simulator/msw'
import { HttpResponse, http } from 'msw'
import { setupServer } from 'msw/node'

const RUN_SECONDS = Number(process.env.DOCS_RUN_SECONDS ?? 4)
const PERMISSIONS = [
  'rak_balance_read',
  'rak_event_read',
  'rak_invoice_read',
  'rak_payout_read',
  'rak_subscription_read',
  'rak_customer_read',
  'rak_product_read',
  'rak_connected_account_read',
  'rak_checkout_session_read',
  'rak_file_write',
]

const sim = new StripeSimulator({ seed: 42 })
const account = sim.createAccount({ businessName: 'Docs Coffee', icon: true }).id
const shop = sim.business(account)
const jane = shop.customer({ email: 'jane@example.com', name: 'Jane Doe', country: 'US' })
shop.sale({ customer: jane, amount: 4_900, currency: 'usd' })

const secret = `whsec_${Buffer.from('docs-run-secret-0123456789').toString('base64')}`
process.env.STRIPE_KEY = sim.createKey({
  account,
  kind: 'restricted',
  mode: 'test',
  permissions: PERMISSIONS,
})
process.env.WEBHOOK_SECRET = secret
process.env.CASHNOTIFY_WEBHOOK_SECRET = secret
// Stripe's signing secrets of the account's webhook endpoint (docs/webhooks.md): the current one, and the
// one rolled out, while both are valid. No endpoint pushes to the blocks: they poll.
process.env.STRIPE_WEBHOOK_SECRET = `whsec_${Buffer.from('docs-run-stripe-endpoint-new').toString('base64')}`
process.env.STRIPE_WEBHOOK_SECRET_OLD = `whsec_${Buffer.from('docs-run-stripe-endpoint-old').toString('base64')}`
process.env.SLACK_WEBHOOK_URL = 'https://hooks.slack.com/services/T000/B000/docs'
process.env.DISCORD_WEBHOOK_URL = 'https://discord.com/api/webhooks/1/docs'
process.env.SMTP_PASS = 'docs-run-password'

const loopback = /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//
const server = setupServer(
  ...stripeHandlers(sim),
  http.all(/^https?:\/\//, ({ request }) =>
    loopback.test(request.url) ? undefined : new HttpResponse(null, { status: 204 }),
  ),
)
server.listen({ onUnhandledRequest: 'bypass' })

// New sales while the block runs, so that listeners see some.
const sales = setInterval(() => shop.sale({ customer: jane, amount: 2_500, currency: 'usd' }), 1_000)
sales.unref()
setTimeout(() => {
  server.close()
  process.exit(process.exitCode ?? 0)
}, RUN_SECONDS * 1000).unref()
