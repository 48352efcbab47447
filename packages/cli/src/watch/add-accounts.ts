import type { Account, CashNotify, Logger } from '@cashnotify/core'
import { resolvePath } from '../config/load.js'
import type { ResolvedAccount } from '../config/secrets.js'

/** Accounts checked at once: each check is about ten requests, within the account's own budget. */
const CONCURRENCY = 4

/** An account of the config that could not be watched, and why. */
export interface FailedAccount {
  /** `accounts[1]`. */
  readonly label: string
  /** `keyEnv STRIPE_KEY_OLD`. */
  readonly keySource: string
  /** Why. */
  readonly error: Error
}

/** What adding the accounts came to. */
export interface AddedAccounts {
  /** Accounts now watched, in config order. */
  readonly watched: Account[]
  /** Accounts refused. */
  readonly failed: FailedAccount[]
}

function plain(message: string): string {
  return message.replace(/^\[cashnotify\] /, '')
}

/** `Acme Inc (acct_1…/live)`. */
export function accountTitle(account: Account): string {
  return `${account.name} (${account.ref})`
}

function logAdded(account: Account, progress: string, logger: Logger): void {
  const fields = { account: account.ref, key: account.key.redacted, status: account.status }
  if (account.status !== 'degraded') {
    logger.info(
      `✓ ${accountTitle(account)}: ${account.status}, ${account.key.kind} key ${account.key.redacted} ${progress}`,
      fields,
    )
    return
  }
  const lost = account.featuresLost
    .map((feature) => `${feature.description} (${feature.permission})`)
    .join(' ')
  const permissions = [...new Set(account.featuresLost.map((feature) => feature.permission))].join(', ')
  logger.warn(
    `${accountTitle(account)} is watched, degraded: ${lost} Give its restricted key ${permissions}, or create one with the right permissions: ${account.permissions.restrictedKeyUrl} ${progress}`,
    fields,
  )
}

/**
 * Adds the accounts to CashNotify a few at a time, logging each as it is checked (`[3/10]`): with many
 * accounts this is the long part of starting. An account that is refused is logged and skipped, so
 * that one revoked key does not stop the others from being watched.
 */
export async function addAccounts(
  cn: CashNotify,
  accounts: readonly ResolvedAccount[],
  options: { readonly dir: string; readonly logger: Logger; readonly signal?: AbortSignal | undefined },
): Promise<AddedAccounts> {
  // Sparse when a stop signal cut the start-up short.
  const results: Array<Account | FailedAccount | undefined> = new Array(accounts.length)
  let done = 0
  let next = 0
  const total = accounts.length
  const worker = async (): Promise<void> => {
    while (next < total && !options.signal?.aborted) {
      const index = next++
      const item = accounts[index]!
      const { label, keySource, config } = item
      try {
        if (!item.key.ok) throw item.key.error
        const account = await cn.addAccount({
          apiKey: item.key.value,
          ...(config.name === undefined ? {} : { name: config.name }),
          ...(config.logo === undefined ? {} : { logo: resolvePath(options.dir, config.logo) }),
          ...(config.strictPermissions === undefined ? {} : { strictPermissions: config.strictPermissions }),
          ...(item.webhookSecret === undefined ? {} : { webhookSecret: item.webhookSecret }),
        })
        results[index] = account
        logAdded(account, `[${++done}/${total}]`, options.logger)
      } catch (error) {
        const failure = { label, keySource, error: error instanceof Error ? error : new Error(String(error)) }
        results[index] = failure
        options.logger.error(
          `${label} (${keySource}) is not watched: ${plain(failure.error.message)} [${++done}/${total}]`,
          {
            account: label,
            code: (error as { code?: string }).code,
          },
        )
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, total) }, worker))
  const settled = results.filter((result) => result !== undefined)
  return {
    watched: settled.filter((result): result is Account => 'ref' in result),
    failed: settled.filter((result): result is FailedAccount => !('ref' in result)),
  }
}
