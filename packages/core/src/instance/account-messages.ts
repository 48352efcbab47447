/** What a watched account says about its reads and its webhooks, in the words users read in logs and statuses. */

/** The pace of an account's reads against its share of Stripe's read allocation, over or back within it. */
export function readShareReason(
  over: boolean,
  usage: {
    readonly used30d: number
    readonly projected30d: number
    readonly share: number
    readonly allocation: number
  },
): string {
  const { used30d, projected30d, share, allocation } = usage
  const allowance = Math.round(share * allocation)
  return over
    ? `at this pace it would read ${projected30d} times in 30 days, more than its share of Stripe's read allocation (${allowance} of ${allocation}; ${used30d} read in the last 30 days). Polls slow down; Stripe webhooks would spare the reads.`
    : `its reads are back within its share of Stripe's read allocation (${allowance} of ${allocation} a month)`
}

/** Polls found what the account's webhooks should have brought. */
export function missedWebhooksReason(count: number): string {
  return `polls found ${count > 0 ? `${count} event(s)` : 'payments'} that its Stripe webhooks did not bring: deliveries to its endpoint fail or are late (Dashboard → Developers → Webhooks). Polls keep their pace until webhooks arrive again.`
}

/** A poll read several pages at once. */
export function catchUpMessage(ref: string, pages: number, events: number): string {
  return `${ref}: caught up ${events} new event(s) in ${pages} reads, faster than its pace; later polls pay for them (cn.readUsage() shows the reads).`
}
