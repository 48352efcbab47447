/**
 * The demo's digest without waiting a day: every {@link DIGEST_EVERY_MS} and at the end, core builds
 * today so far (`cn.digest()`, from the day records it keeps as events pass, sent nowhere) and the
 * console notifier prints it as it would print the scheduled one. It is printed once the daemon has
 * counted every sale the simulator made, so its figures are the shops' own.
 */
import type { CashNotify, Digest, DigestNotification, DigestPeriod } from '@cashnotify/core'
import type { StripeSimulator } from '@cashnotify/stripe-simulator'
import type { DemoShop } from './business.js'

/** How often the demo prints today's digest so far, ms: the first comes within the demo's first minute. */
export const DIGEST_EVERY_MS = 20_000

/** How often the demo looks whether the daemon has counted the simulator's sales, ms. */
const CHECK_MS = 100

/** What the simulator itself holds of a shop's sales in a period: its charges that succeeded. */
export function simulatorSales(
  sim: StripeSimulator,
  shop: DemoShop,
  period: Pick<DigestPeriod, 'start' | 'end'>,
): { readonly sales: number; readonly gross: number } {
  const within = (created: number): boolean =>
    created * 1000 >= period.start.getTime() && created * 1000 < period.end.getTime()
  const charges = sim
    .store(shop.account.id, shop.livemode)
    .list('charge')
    .filter((charge) => charge.status === 'succeeded' && within(charge.created))
  return { sales: charges.length, gross: charges.reduce((sum, charge) => sum + charge.amount, 0) }
}

/** A shop's digest among those `cn.digest()` built. */
export function digestOf(digests: readonly Digest[], shop: DemoShop): Digest | undefined {
  return digests.find((digest) => digest.account?.id === shop.account.id && digest.livemode === shop.livemode)
}

const salesOf = (digest: Digest): number =>
  digest.currencies.reduce((sum, { current }) => sum + current.sales, 0)

/** Today so far, once the digests count every sale the simulator made, or when `waitMs` is over. */
export async function caughtUpDigests(options: {
  readonly cn: Pick<CashNotify, 'digest'>
  readonly sim: StripeSimulator
  readonly shops: readonly DemoShop[]
  readonly waitMs: number
}): Promise<{ readonly digests: Digest[]; readonly missing: number }> {
  const deadline = Date.now() + options.waitMs
  for (;;) {
    const digests = await options.cn.digest()
    let missing = 0
    for (const shop of options.shops) {
      const digest = digestOf(digests, shop)
      if (digest)
        missing += Math.max(0, simulatorSales(options.sim, shop, digest.period).sales - salesOf(digest))
    }
    if (missing === 0 || Date.now() >= deadline) return { digests, missing }
    await new Promise((resolve) => setTimeout(resolve, CHECK_MS))
  }
}

/** Today's digest so far, as a notifier is given a digest; its title says it is not a closed day. */
export function soFarNotification(digest: Digest): DigestNotification {
  const who = `${digest.livemode ? '' : '[test] '}${digest.account?.name ?? 'All accounts'}`
  return { id: `${digest.id}:so-far`, title: `${who} · today so far`, body: '', digest }
}

/** Runs `run` every `everyMs`, one run at a time; `stop()` waits for the one running. */
export function startDigestTicker(
  everyMs: number,
  run: () => Promise<void>,
  onError: (error: Error) => void,
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve()
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const tick = (): void => {
    running = run()
      .catch((error: unknown) => onError(error instanceof Error ? error : new Error(String(error))))
      .then(() => {
        if (!stopped) timer = setTimeout(tick, everyMs)
      })
  }
  timer = setTimeout(tick, everyMs)
  return {
    stop() {
      stopped = true
      clearTimeout(timer)
      return running
    },
  }
}
