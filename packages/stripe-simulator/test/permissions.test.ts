import type Stripe from 'stripe'
import { describe, expect, it } from 'vitest'
import { fixture } from '../src/fixtures/index.js'
import { maskKey } from '../src/ids.js'
import { rejection, startSimulator } from './helpers.js'

/** Every endpoint CashNotify calls, with the permission Stripe asks for. */
const ENDPOINTS: readonly [string, (s: Stripe) => Promise<unknown>][] = [
  ['rak_connected_account_read', (s) => s.accounts.retrieveCurrent()],
  ['rak_balance_read', (s) => s.balance.retrieve()],
  ['rak_balance_read', (s) => s.balanceTransactions.list({ limit: 1 })],
  ['rak_balance_read', (s) => s.balanceTransactions.retrieve('txn_1')],
  ['rak_event_read', (s) => s.events.list({ limit: 1 })],
  ['rak_event_read', (s) => s.events.retrieve('evt_1')],
  ['rak_invoice_read', (s) => s.invoices.list({ limit: 1 })],
  ['rak_invoice_read', (s) => s.invoices.retrieve('in_1')],
  ['rak_payout_read', (s) => s.payouts.list({ limit: 1 })],
  ['rak_payout_read', (s) => s.payouts.retrieve('po_1')],
  ['rak_subscription_read', (s) => s.subscriptions.list({ limit: 1 })],
  ['rak_subscription_read', (s) => s.subscriptions.retrieve('sub_1')],
  ['rak_customer_read', (s) => s.customers.list({ limit: 1 })],
  ['rak_customer_read', (s) => s.customers.retrieve('cus_1')],
  ['rak_product_read', (s) => s.products.list({ limit: 1 })],
  ['rak_product_read', (s) => s.products.retrieve('prod_1')],
  ['rak_price_read', (s) => s.prices.list({ limit: 1 })],
  ['rak_charge_read', (s) => s.charges.list({ limit: 1 })],
  ['rak_charge_read', (s) => s.charges.retrieve('ch_1')],
  ['rak_payment_intent_read', (s) => s.paymentIntents.list({ limit: 1 })],
  ['rak_payment_intent_read', (s) => s.paymentIntents.retrieve('pi_1')],
  ['rak_checkout_session_read', (s) => s.checkout.sessions.list({ limit: 1 })],
  ['rak_checkout_session_read', (s) => s.checkout.sessions.retrieve('cs_test_1')],
  ['rak_file_read', (s) => s.files.retrieve('file_1')],
  ['rak_file_write', (s) => s.fileLinks.create({ file: 'file_1' })],
]

describe('permissions of restricted keys', () => {
  it.each(ENDPOINTS.map(([permission, call], i) => [i, permission, call] as const))(
    'endpoint %i answers 403 naming %s, and passes the permission check once granted',
    async (_, permission, call) => {
      const { account, stripe, restricted } = await startSimulator()
      const without = restricted([])
      const err = await rejection(call(stripe(without)))
      expect(err.type).toBe('StripePermissionError')
      expect(err.statusCode).toBe(403)
      expect(err.rawType).toBe('invalid_request_error')
      expect(err.message).toBe(
        `The provided key '${maskKey(without, 6)}' does not have the required permissions for this endpoint on account '${account.id}'. ` +
          `Having the '${permission}' permission would allow this request to continue.`,
      )
      // With the permission, the request gets past the check: a 200, or resource_missing for the made-up ids.
      const result = await call(stripe(restricted([permission]))).catch((e: Stripe.errors.StripeError) => e)
      if (result instanceof Error) expect((result as Stripe.errors.StripeError).code).toBe('resource_missing')
    },
  )

  it('lets a _write permission imply the matching _read', async () => {
    const { stripe, restricted } = await startSimulator()
    const client = stripe(restricted(['rak_customer_write']))
    expect((await client.customers.list({ limit: 1 })).object).toBe('list')
  })

  it('applies setPermissions on the next request', async () => {
    const { sim, stripe, restricted } = await startSimulator()
    const key = restricted(['rak_event_read'])
    const client = stripe(key)
    await client.events.list({ limit: 1 })
    sim.setPermissions(key, ['rak_customer_read'])
    const err = await rejection(client.events.list({ limit: 1 }))
    expect(err.statusCode).toBe(403)
    expect(err.message).toContain("'rak_event_read'")
    expect((await client.customers.list()).object).toBe('list')
  })

  it('asks for the permission of an expanded object too', async () => {
    const { sim, account, stripe, restricted } = await startSimulator()
    const store = sim.store(account.id, false)
    store.add(fixture('customer'))
    store.add(fixture('charge'))
    const chargesOnly = stripe(restricted(['rak_charge_read']))
    const charge = fixture('charge')
    expect((await chargesOnly.charges.retrieve(charge.id)).customer).toBe(charge.customer)
    const err = await rejection(chargesOnly.charges.retrieve(charge.id, { expand: ['customer'] }))
    expect(err.statusCode).toBe(403)
    expect(err.message).toContain("Having the 'rak_customer_read' permission")
    const both = stripe(restricted(['rak_charge_read', 'rak_customer_read']))
    const expanded = await both.charges.retrieve(charge.id, { expand: ['customer'] })
    expect((expanded.customer as Stripe.Customer).email).toBe('jenny.rosen@example.com')
  })
})
