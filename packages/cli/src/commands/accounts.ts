import { existsSync } from 'node:fs'
import {
  CashNotifyError,
  checkKey,
  type PermissionReport,
  type ReadUsage,
  redactSecrets,
  type StripeConnectionOptions,
  storedReadUsage,
  stripeConnectionFromUrl,
} from '@cashnotify/core'
import type { LoadedConfig } from '../config/load.js'
import type { AccountConfig } from '../config/schema.js'
import { type ResolvedAccount, resolveAccount } from '../config/secrets.js'
import type { RunContext } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { defined } from '../notifiers/from-config.js'
import { printableText } from '../output.js'
import { openState } from '../store/open-state.js'
import { redisStoreOf } from '../store/redis-state.js'
import { addClusterState } from './accounts-cluster.js'
import { formatStatuses } from './accounts-report.js'
import { loadOrExplain, statePath } from './setup.js'

/** Input of {@link runAccounts}. */
export interface AccountsCommand {
  /** `--config`. */
  readonly config?: string | undefined
  /** `--json`: the statuses as JSON. */
  readonly json: boolean
  /** `--stripe-url`: where Stripe is, instead of the config's `stripeUrl`. */
  readonly stripeUrl?: string | undefined
}

/**
 * What `cashnotify watch` makes of one account: `active` or `degraded` (watched; what is lost), `refused`
 * (a valid key that may not read events, or lacks a required permission under `strictPermissions`),
 * `invalid` (malformed, unknown, revoked, or not readable), or `unreachable` (Stripe did not answer).
 */
export type AccountStatus = 'active' | 'degraded' | 'refused' | 'invalid' | 'unreachable'

/** One account's status. */
export interface AccountStatusLine {
  readonly label: string
  readonly keySource: string
  readonly name?: string
  readonly status: AccountStatus
  readonly accountId?: string
  readonly mode?: 'live' | 'test'
  readonly key?: string
  /** What is lost, for a degraded or refused account. */
  readonly featuresLost: ReadonlyArray<{ readonly permission: string; readonly description: string }>
  /** Where to create a key with the right permissions, when some are missing. */
  readonly restrictedKeyUrl?: string
  /** Why, for a refused, invalid or unreachable account. */
  readonly reason?: string
  /** What it read in 30 days and may read, from the state of the daemon that watches it. */
  readonly reads?: Pick<ReadUsage, 'used30d' | 'allocation' | 'share' | 'projected30d' | 'interval'>
  /** With a Redis store: the process whose lease lets it poll the account now; null when none holds it. */
  readonly holder?: string | null
}

const CONCURRENCY = 4

/**
 * The report's verdict, as `addAccount` applies it: `strictPermissions` also refuses a key that is not
 * `ok` (a required permission missing or unknown), as core does.
 */
function statusOf(report: PermissionReport, strict: boolean): { status: AccountStatus; reason?: string } {
  if (report.verdict === 'refused')
    return { status: 'refused', reason: 'It may not read events (rak_event_read): nothing can be watched.' }
  if (strict && !report.ok)
    return {
      status: 'refused',
      reason: `strictPermissions refuses a key without ${[...report.missingRequired, ...report.unknown].join(', ')}.`,
    }
  return { status: report.verdict }
}

function fromReport(
  base: Pick<AccountStatusLine, 'label' | 'keySource' | 'name'>,
  report: PermissionReport,
  strict: boolean,
): AccountStatusLine {
  return {
    ...base,
    ...statusOf(report, strict),
    ...(report.accountId ? { accountId: report.accountId } : {}),
    mode: report.key.mode,
    key: report.key.redacted,
    featuresLost: report.featuresLost.map(({ permission, description }) => ({ permission, description })),
    ...(report.ok ? {} : { restrictedKeyUrl: report.restrictedKeyUrl }),
  }
}

function plain(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : String(error)).replace(/^\[cashnotify\] /, '')
}

interface CheckContext extends RunContext {
  readonly dir: string
  readonly stripe: StripeConnectionOptions | undefined
  readonly strict: boolean | undefined
}

async function checkAccount(
  config: AccountConfig,
  index: number,
  context: CheckContext,
): Promise<AccountStatusLine> {
  const label = `accounts[${index}]`
  const base = { label, keySource: '', ...(config.name ? { name: config.name } : {}) }
  let resolved: ResolvedAccount
  try {
    resolved = await resolveAccount(config, index, {
      env: context.env,
      dir: context.dir,
      warn: (m) => context.output.err(printableText(`⚠ ${m}`)),
    })
  } catch (error) {
    const keySource = config.keyEnv ? `keyEnv ${config.keyEnv}` : `keyFile ${config.keyFile ?? ''}`
    return { ...base, keySource, status: 'invalid', featuresLost: [], reason: plain(error) }
  }
  const known = { ...base, keySource: resolved.keySource }
  if (!resolved.key.ok)
    return { ...known, status: 'invalid', featuresLost: [], reason: plain(resolved.key.error) }
  try {
    const report = await checkKey(resolved.key.value, {
      ...(context.stripe ? { stripe: context.stripe } : {}),
      retry: { retries: 1, baseDelayMs: 250 },
    })
    return fromReport(known, report, config.strictPermissions ?? context.strict ?? false)
  } catch (error) {
    const retryable = error instanceof CashNotifyError && error.retryable
    return {
      ...known,
      status: retryable ? 'unreachable' : 'invalid',
      mode: resolved.key.value.mode,
      key: resolved.key.value.redacted,
      featuresLost: [],
      reason: plain(error),
    }
  }
}

/**
 * Adds what each account read, from the daemon's state file when there is one: read, not locked, so
 * that it works beside a running `cashnotify watch`, and without a request to Stripe.
 */
async function addReads(
  lines: AccountStatusLine[],
  loaded: LoadedConfig,
  context: RunContext,
): Promise<void> {
  const redis = redisStoreOf(loaded)
  if (redis) return addClusterState(lines, redis, loaded, context)
  const path = statePath(loaded, undefined, context.env)
  if (!existsSync(path)) return
  const state = openState(path, { lock: false, create: false })
  const { pollInterval, maxPollInterval, readAllocation } = loaded.config
  const options = { pollInterval, maxPollInterval, readAllocation }
  try {
    for (const [i, line] of lines.entries()) {
      if (!line.accountId || !line.mode) continue
      const usage = await storedReadUsage(state.store, `${line.accountId}/${line.mode}`, defined(options))
      if (!usage) continue
      const { used30d, allocation, share, projected30d, interval } = usage
      lines[i] = { ...line, reads: { used30d, allocation, share, projected30d, interval } }
    }
  } finally {
    await state.close()
  }
}

/**
 * `cashnotify accounts`: checks the key of every account of the config with `checkKey`, and says for
 * each what `watch` makes of it (active, degraded and what is lost, refused or invalid and why). Exit
 * code 2 when one is refused or invalid, 3 when Stripe could not be reached, else 0.
 */
export async function runAccounts(command: AccountsCommand, context: RunContext): Promise<number> {
  const loaded = await loadOrExplain(command.config, context)
  if (typeof loaded === 'number') return loaded
  const url = command.stripeUrl ?? loaded.config.stripeUrl
  const stripe = url === undefined ? undefined : stripeConnectionFromUrl(url)
  const check = { ...context, dir: loaded.dir, stripe, strict: loaded.config.strictPermissions }
  const accounts = loaded.config.accounts
  const lines: AccountStatusLine[] = new Array(accounts.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < accounts.length) {
      const index = next++
      lines[index] = await checkAccount(accounts[index]!, index, check)
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, accounts.length) }, worker))
  await addReads(lines, loaded, context)
  const refused = lines.some((line) => line.status === 'invalid' || line.status === 'refused')
  const unreachable = lines.some((line) => line.status === 'unreachable')
  context.output.out(
    command.json
      ? JSON.stringify({ ok: !refused && !unreachable, accounts: lines }, null, 2)
      : formatStatuses(lines, loaded.source),
  )
  return refused ? EXIT_CODES.invalid : unreachable ? EXIT_CODES.unreachable : EXIT_CODES.ok
}
