import { REQUIRED_PERMISSIONS } from '@cashnotify/core'
import { StripeSimulator } from '@cashnotify/stripe-simulator'
import { runCheckKey } from '../commands/check-key.js'
import type { Output } from '../output.js'

/**
 * The first thing a newcomer runs: a local Stripe simulator with one business, and `check-key` run
 * against four of its keys, from the recommended one to the refused one. No Stripe account needed.
 */
export async function runKeyDemo(output: Output): Promise<number> {
  const sim = new StripeSimulator()
  const server = await sim.listen()
  try {
    const account = sim.createAccount({ businessName: 'Acme Inc' })
    const keys: Array<[title: string, key: string]> = [
      [
        'A restricted key with the required and optional permissions (recommended)',
        sim.createKey({
          account: account.id,
          kind: 'restricted',
          mode: 'test',
          permissions: [...REQUIRED_PERMISSIONS, 'rak_connected_account_read', 'rak_file_write'],
        }),
      ],
      [
        'A restricted key without Customers and Balance (degraded: no email, country or fees)',
        sim.createKey({
          account: account.id,
          kind: 'restricted',
          mode: 'test',
          permissions: REQUIRED_PERMISSIONS.filter(
            (p) => p !== 'rak_customer_read' && p !== 'rak_balance_read',
          ),
        }),
      ],
      [
        'A secret key (works, but has full access)',
        sim.createKey({ account: account.id, kind: 'secret', mode: 'live' }),
      ],
      [
        'A publishable key (refused before any request)',
        sim.createKey({ account: account.id, kind: 'publishable', mode: 'test' }),
      ],
    ]
    output.out(`Stripe simulator on ${server.url} with the business "Acme Inc" (${account.id}).\n`)
    for (const [title, key] of keys) {
      output.out(`━━ ${title}\n$ cashnotify check-key ${key.slice(0, 8)}… --stripe-url ${server.url}\n`)
      const code = await runCheckKey({ key, json: false, stripeUrl: server.url }, output)
      output.out(`(exit code ${code})\n`)
    }
    return 0
  } finally {
    await server.close()
  }
}
