import type { DeclineCode } from '@cashnotify/stripe-simulator'
import { customerOf, type DemoShop, emailOf, PEOPLE } from './business.js'
import type { Random } from './random.js'

/** What can happen at a tick, and how often, relatively. */
const ACTIONS = {
  sale: 40,
  subscribe: 12,
  renew: 12,
  failRenewal: 6,
  refund: 8,
  cancel: 5,
  payout: 5,
  dispute: 3,
} as const

type Action = keyof typeof ACTIONS

/** What a shop's past is made of: sales and subscriptions (a payout's arrival would lie in the future). */
export const HISTORY: Readonly<Partial<Record<Action, number>>> = { sale: 3, subscribe: 1 }

/** Pause before the first happening, ms: enough for the first poll, which reads the history, to be done. */
const FIRST_PAUSE_MS = 200

const DECLINES: readonly DeclineCode[] = ['insufficient_funds', 'expired_card', 'generic_decline']

/** Options of {@link startTraffic}. */
export interface TrafficOptions {
  /** The seeded source of every choice. */
  readonly random: Random
  /** Shortest and longest pause between two happenings, ms. @default [1000, 2000] */
  readonly pauseMs?: readonly [number, number]
  /** The clock, ms since epoch: scenarios that would happen later (renewals) happen now. @default Date.now */
  readonly now?: () => number
  /** Told what happened, for a log line; or of an error, which never stops the traffic. */
  readonly onError?: (error: Error) => void
}

/** Running traffic. */
export interface Traffic {
  /** How many things happened. */
  readonly count: number
  /** Stops; nothing happens after. */
  stop(): void
}

/** One thing happens at one shop: a sale most often, sometimes a subscription, a refund, a payout … */
export function happen(
  shop: DemoShop,
  random: Random,
  nowSeconds: number,
  weights: Readonly<Partial<Record<Action, number>>> = ACTIONS,
): Action {
  const action = random.weighted(weights as Record<Action, number>)
  const { business } = shop
  const subscription = shop.subscriptions.length > 0 ? random.pick(shop.subscriptions) : undefined
  const charge = shop.charges.length > 0 ? random.pick(shop.charges) : undefined
  const forget = <T>(list: T[], item: T): void => {
    list.splice(list.indexOf(item), 1)
  }
  if ((action === 'renew' || action === 'failRenewal' || action === 'cancel') && subscription) {
    if (action === 'renew') business.renew(subscription, { at: nowSeconds })
    else if (action === 'failRenewal')
      business.failRenewal(subscription, { at: nowSeconds, declineCode: random.pick(DECLINES) })
    else {
      business.cancel(subscription, { atPeriodEnd: false, at: nowSeconds })
      forget(shop.subscriptions, subscription)
    }
    return action
  }
  if ((action === 'refund' || action === 'dispute') && charge) {
    if (action === 'refund') {
      const partial = random.chance(0.4)
      business.refund(charge, {
        at: nowSeconds,
        ...(partial ? { amount: Math.round(charge.amount / 2) } : {}),
      })
    } else
      business.dispute(charge, {
        at: nowSeconds,
        reason: random.pick(['fraudulent', 'product_not_received'] as const),
      })
    forget(shop.charges, charge)
    return action
  }
  if (action === 'payout') {
    const amount = random.int(50, 900) * 100
    // Created two days ago, confirmed by the bank now: the demo shows the arrival, not the two days' wait.
    business.payout({
      amount,
      status: random.chance(0.9) ? 'paid' : 'failed',
      at: nowSeconds - 2 * 86_400,
      settledAt: nowSeconds,
    })
    return action
  }
  if (action === 'subscribe') {
    const customer = customerOf(shop, random, nowSeconds)
    const result = business.subscribe({ customer, price: random.pick(shop.plans), at: nowSeconds })
    shop.subscriptions.push(result.subscription)
    return action
  }
  return sale(shop, random, nowSeconds)
}

function sale(shop: DemoShop, random: Random, at: number): 'sale' {
  const items = [{ price: random.pick(shop.products), quantity: random.chance(0.2) ? 2 : 1 }]
  const guest = random.chance(0.3)
  const buyer = guest ? random.pick(PEOPLE) : undefined
  const result = shop.business.sale({
    at,
    items,
    checkout: guest || random.chance(0.3),
    ...(buyer
      ? { guest: { email: emailOf(buyer[0]), name: buyer[0], country: buyer[1] } }
      : { customer: customerOf(shop, random, at) }),
  })
  shop.charges.push(result.charge)
  if (shop.charges.length > 20) shop.charges.shift()
  return 'sale'
}

/**
 * Makes the shops' businesses happen on the simulator, one thing every second or two, the live shop
 * twice as often as the test one. Every choice comes from the seeded `random`.
 */
export function startTraffic(shops: readonly DemoShop[], options: TrafficOptions): Traffic {
  const { random } = options
  const [min, max] = options.pauseMs ?? [1000, 2000]
  const now = options.now ?? Date.now
  let count = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let stopped = false
  const tick = (): void => {
    if (stopped) return
    const shop = random.chance(2 / 3) ? shops[0] : (shops[1] ?? shops[0])
    try {
      if (shop) happen(shop, random, Math.floor(now() / 1000))
      count++
    } catch (error) {
      options.onError?.(error instanceof Error ? error : new Error(String(error)))
    }
    timer = setTimeout(tick, min + random.next() * (max - min))
  }
  // The first happening comes at once (once the first poll has read the history): the demo's first
  // notification shows within a poll of the start, not a pause later.
  timer = setTimeout(tick, FIRST_PAUSE_MS)
  return {
    get count() {
      return count
    },
    stop() {
      stopped = true
      clearTimeout(timer)
    },
  }
}
