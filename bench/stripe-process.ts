/**
 * The simulator in a process of its own, so that its memory and CPU are not the watcher's:
 * `node --import tsx bench/stripe-process.ts <accounts> <keys file>` makes that many live shops (each a
 * restricted key with every permission and a sale the day before), writes their keys to the file as JSON,
 * prints `{"url": …}` on a line of stdout and serves until its stdin closes (the parent ended). A line
 * `stats <from ms> <to ms> <first shop> <shops>` on stdin is answered with a line of {@link StripeStats}
 * JSON: what those shops' keys asked in that window.
 */
import { writeFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { OPTIONAL_PERMISSIONS, REQUIRED_PERMISSIONS } from '@cashnotify/core'
import { StripeSimulator } from '@cashnotify/stripe-simulator'

/** What the simulator answered in a window of time. */
export interface StripeStats {
  readonly requests: number
  readonly rateLimited: number
  /** `GET /v1/events` requests, and the accounts they were for. */
  readonly eventLists: number
  readonly accountsPolled: number
}

const PERMISSIONS = [...REQUIRED_PERMISSIONS, ...OPTIONAL_PERMISSIONS]
const SALES_PER_SHOP = 1

const [accounts = '1', keysFile = ''] = process.argv.slice(2)
const sim = new StripeSimulator({ seed: 13 })
const keys: string[] = []
/** Account id → its shop's index. */
const shops = new Map<string, number>()
const at = Math.floor(Date.now() / 1000) - 86_400
for (let i = 0; i < Number(accounts); i++) {
  const id = sim.createAccount({ businessName: `Shop ${i}` }).id
  shops.set(id, i)
  keys.push(sim.createKey({ account: id, kind: 'restricted', mode: 'live', permissions: PERMISSIONS }))
  const business = sim.business(id, { livemode: true })
  for (let s = 0; s < SALES_PER_SHOP; s++)
    business.sale({ amount: 2_500, currency: 'usd', at: at + s * 3_600 })
}
writeFileSync(keysFile, JSON.stringify(keys))
const server = await sim.listen()
console.log(JSON.stringify({ url: server.url }))
const lines = createInterface({ input: process.stdin })
lines.on('line', (line) => {
  const [command, ...args] = line.split(' ')
  if (command !== 'stats') return
  const [from = 0, to = 0, first = 0, count = 0] = args.map(Number)
  const inShops = (account: string | null): boolean => {
    const shop = account === null ? undefined : shops.get(account)
    return shop !== undefined && shop >= first && shop < first + count
  }
  const log = sim.requests.log.filter((e) => e.at >= from && e.at < to && inShops(e.account))
  const lists = log.filter((e) => e.endpoint === 'GET /v1/events' && e.status === 200)
  const stats: StripeStats = {
    requests: log.length,
    rateLimited: log.filter((e) => e.status === 429).length,
    eventLists: lists.length,
    accountsPolled: new Set(lists.map((e) => e.account)).size,
  }
  console.log(JSON.stringify(stats))
})
lines.on('close', () => void server.close().then(() => process.exit(0)))
