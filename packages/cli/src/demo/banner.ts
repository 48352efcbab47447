import { formatAmount } from '@cashnotify/core'
import type { DesktopAvailability } from '../notifiers/desktop-check.js'
import { countText } from '../watch/pace-text.js'
import type { DemoShop } from './business.js'
import type { DesktopTally } from './desktop.js'

/** What the banner and the closing summary tell. */
export interface DemoFacts {
  readonly simulatorUrl: string
  readonly seed: number
  readonly shops: readonly DemoShop[]
  readonly webhookUrl: string
  /** Where the simulator pushes Stripe's events: the daemon's webhook server. */
  readonly stripeWebhookUrl: string
  readonly desktop: DesktopAvailability
  readonly statePath: string
  /** Seconds, or undefined for "until Ctrl-C". */
  readonly duration: number | undefined
  /** The large-sale rule's amounts, per currency, minor units. */
  readonly largeSale: Readonly<Record<string, number>>
  /** How often today's digest so far is printed. */
  readonly digestEverySeconds: number
  /** When the scheduled daily digest (yesterday's) is sent, `HH:MM`. */
  readonly digestAt: string
}

/** `Cannot show …: no bus. Run … .` → `Cannot show …: no bus`: the banner has one line for it. */
function firstSentence(text: string): string {
  return (text.split(/(?<=\.)\s/)[0] ?? text).replace(/\.$/, '')
}

/** `$100.00 or €50.00`. */
function amounts(perCurrency: Readonly<Record<string, number>>): string {
  return Object.entries(perCurrency)
    .map(([currency, amount]) => formatAmount(amount, currency))
    .join(' or ')
}

/** The lines a person reads first: what runs where, and how it ends. */
export function bannerLines(facts: DemoFacts): string[] {
  const shops = facts.shops.map(
    (shop) => `${shop.name} (${shop.livemode ? 'live' : 'test'} mode, ${shop.account.id})`,
  )
  return [
    'CashNotify demo: a simulated Stripe business, watched by the daemon’s own pipeline. No Stripe key needed.',
    '',
    `  Stripe simulator  ${facts.simulatorUrl} (seed ${facts.seed}: a sale, renewal, refund or payout every second or two)`,
    `  Accounts          ${shops.join(' and ')}`,
    `  Stripe webhooks   ${facts.stripeWebhookUrl} (the daemon's own server; polls are the safety net)`,
    '  Notifications     console (below)',
    `                    webhook → ${facts.webhookUrl}, a receiver that verifies each Standard Webhooks signature`,
    facts.desktop.ok
      ? '                    desktop (your notification service)'
      : `                    desktop: not available here (${firstSentence(facts.desktop.reason)})`,
    `  Rule              large sales marked 🚀: from ${amounts(facts.largeSale)} (\`rules.largeSale\` in the config)`,
    `  Digest            today so far, printed 📊 every ${facts.digestEverySeconds} s and at the end (\`cn.digest()\`);`,
    `                    the config's daily digest would send yesterday's at ${facts.digestAt}`,
    `  State             ${facts.statePath} (a temporary directory, deleted at the end)`,
    `  Runs              ${facts.duration === undefined ? 'until Ctrl-C' : `${facts.duration} s (Ctrl-C stops it sooner)`}`,
    '',
  ]
}

/** The closing line: what happened, and what each channel did with it. */
export function summaryLine(options: {
  readonly seconds: number
  readonly happenings: number
  readonly console: number
  readonly webhook: { readonly verified: number; readonly rejected: number }
  readonly desktop: DesktopAvailability
  readonly tally: DesktopTally
}): string {
  const desktop = !options.desktop.ok
    ? 'desktop not available'
    : options.tally.absent !== undefined
      ? `desktop ${options.tally.shown} (then unavailable: ${options.tally.absent})`
      : `desktop ${options.tally.shown}`
  const refused = options.webhook.rejected > 0 ? `, ${options.webhook.rejected} refused` : ''
  return `Demo over after ${options.seconds} s: ${options.happenings} thing${options.happenings === 1 ? '' : 's'} happened at the shops; notifications: console ${options.console}, webhook ${options.webhook.verified} verified${refused}, ${desktop}.`
}

/** What the simulator counted of a shop's reads, against Stripe's read allocation. */
export function readsLine(
  shop: DemoShop,
  reads: { readonly reads30d: number; readonly allocation: number },
): string {
  const share = ((100 * reads.reads30d) / reads.allocation).toFixed(2)
  return `${shop.name} read ${countText(reads.reads30d)} times from Stripe: ${share}% of its ${countText(reads.allocation)} reads a month.`
}
