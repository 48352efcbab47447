import {
  checkKey,
  InvalidKeyError,
  type PermissionReport,
  redactSecrets,
  type StripeConnectionOptions,
  StripeUnavailableError,
  stripeConnectionFromUrl,
} from '@cashnotify/core'
import { type ResolvedAccount, resolveAccount } from '../config/secrets.js'
import type { RunContext } from '../context.js'
import { EXIT_CODES } from '../exit-codes.js'
import { loadOrExplain } from './setup.js'

/** Input of {@link runAccounts}. */
export interface AccountsCommand {
  /** `--config`. */
  readonly config?: string | undefined
  /** `--json`: the statuses as JSON. */
  readonly json: boolean
  /** `--stripe-url`: where Stripe is, instead of the config's `stripeUrl`. */
  readonly stripeUrl?: string | undefined
}

/** One account's status: `valid`, `degraded` (watched, some fields lost), `invalid`, or `unreachable`. */
export interface AccountStatusLine {
  readonly label: string
  readonly keySource: string
  readonly name?: string
  readonly status: 'valid' | 'degraded' | 'invalid' | 'unreachable'
  readonly accountId?: string
  readonly mode?: 'live' | 'test'
  readonly key?: string
  /** What is lost, for a degraded account. */
  readonly featuresLost: ReadonlyArray<{ readonly permission: string; readonly description: string }>
  /** Where to create a key with the right permissions, when some are missing. */
  readonly restrictedKeyUrl?: string
  /** Why, for an invalid or unreachable account. */
  readonly reason?: string
}

const CONCURRENCY = 4

function fromReport(
  base: Pick<AccountStatusLine, 'label' | 'keySource' | 'name'>,
  report: PermissionReport,
): AccountStatusLine {
  return {
    ...base,
    status: report.ok ? 'valid' : 'degraded',
    ...(report.accountId ? { accountId: report.accountId } : {}),
    mode: report.key.mode,
    key: report.key.redacted,
    featuresLost: report.featuresLost.map(({ permission, description }) => ({ permission, description })),
    ...(report.ok ? {} : { restrictedKeyUrl: report.restrictedKeyUrl }),
  }
}

async function statusOf(
  config: Parameters<typeof resolveAccount>[0],
  index: number,
  context: RunContext & { dir: string },
  stripe: StripeConnectionOptions | undefined,
): Promise<AccountStatusLine> {
  const label = `accounts[${index}]`
  const base = { label, keySource: '', ...(config.name ? { name: config.name } : {}) }
  let resolved: ResolvedAccount
  try {
    resolved = await resolveAccount(config, index, {
      env: context.env,
      dir: context.dir,
      warn: (m) => context.output.err(`⚠ ${m}`),
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
      ...(stripe ? { stripe } : {}),
      retry: { retries: 1, baseDelayMs: 250 },
    })
    return fromReport(known, report)
  } catch (error) {
    const status =
      error instanceof InvalidKeyError
        ? 'invalid'
        : error instanceof StripeUnavailableError
          ? 'unreachable'
          : 'invalid'
    return {
      ...known,
      status,
      mode: resolved.key.value.mode,
      key: resolved.key.value.redacted,
      featuresLost: [],
      reason: plain(error),
    }
  }
}

function plain(error: unknown): string {
  return redactSecrets(error instanceof Error ? error.message : String(error)).replace(/^\[cashnotify\] /, '')
}

const MARK = { valid: '✓', degraded: '⚠', invalid: '✗', unreachable: '?' } as const

/** The statuses as a person reads them. */
export function formatStatuses(lines: readonly AccountStatusLine[], source: string): string {
  const title = (line: AccountStatusLine): string => line.name ?? line.accountId ?? line.label
  const width = Math.max(...lines.map((line) => title(line).length))
  const indent = ' '.repeat(14)
  const out = [`Accounts of ${source}`, '']
  for (const line of lines) {
    const origin = title(line) === line.label ? line.keySource : `${line.label}, ${line.keySource}`
    const where = [
      title(line) === line.accountId ? undefined : line.accountId,
      line.mode,
      line.key,
      `(${origin})`,
    ]
    out.push(
      `${MARK[line.status]} ${line.status.padEnd(11)} ${title(line).padEnd(width)}  ${where.filter(Boolean).join('  ')}`,
    )
    for (const lost of line.featuresLost) out.push(`${indent}• ${lost.description} (${lost.permission})`)
    if (line.restrictedKeyUrl)
      out.push(`${indent}Create a key with the required permissions: ${line.restrictedKeyUrl}`)
    if (line.reason) out.push(`${indent}${line.reason}`)
  }
  const count = (status: AccountStatusLine['status']): number =>
    lines.filter((line) => line.status === status).length
  const watchable = count('valid') + count('degraded')
  out.push(
    '',
    `${watchable} of ${lines.length} account${lines.length === 1 ? '' : 's'} can be watched${count('degraded') ? ` (${count('degraded')} degraded)` : ''}.`,
  )
  return out.join('\n')
}

/**
 * `cashnotify accounts`: checks the key of every account of the config with `checkKey`, and says for
 * each whether it is valid, degraded (and what is lost), or invalid (and why). Exit code 2 when one
 * is invalid, 3 when Stripe could not be reached, else 0.
 */
export async function runAccounts(command: AccountsCommand, context: RunContext): Promise<number> {
  const loaded = await loadOrExplain(command.config, context)
  if (typeof loaded === 'number') return loaded
  const url = command.stripeUrl ?? loaded.config.stripeUrl
  const stripe = url === undefined ? undefined : stripeConnectionFromUrl(url)
  const accounts = loaded.config.accounts
  const lines: AccountStatusLine[] = new Array(accounts.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < accounts.length) {
      const index = next++
      lines[index] = await statusOf(accounts[index]!, index, { ...context, dir: loaded.dir }, stripe)
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, accounts.length) }, worker))
  const invalid = lines.some((line) => line.status === 'invalid')
  const unreachable = lines.some((line) => line.status === 'unreachable')
  context.output.out(
    command.json
      ? JSON.stringify({ ok: !invalid && !unreachable, accounts: lines }, null, 2)
      : formatStatuses(lines, loaded.source),
  )
  return invalid ? EXIT_CODES.invalid : unreachable ? EXIT_CODES.unreachable : EXIT_CODES.ok
}
