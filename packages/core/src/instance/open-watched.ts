/** How a key becomes a watched account: its gateway, its checks, its persisted state. */
import type { ApiKey } from '../accounts/keys.js'
import { accountFields, readAccountMetadata } from '../accounts/metadata.js'
import { openAccount } from '../accounts/open-account.js'
import { probeKey } from '../accounts/probe.js'
import { AccountError, ConfigError } from '../shared/errors.js'
import { StripeGateway } from '../stripe/client.js'
import { RequestBudget } from '../stripe/request-budget.js'
import type { WebhookSecrets } from '../stripe/webhook-secrets.js'
import type { CashNotifyCluster } from './cluster.js'
import type { ResolvedOptions } from './options-schema.js'
import type { PipelineSettings } from './pipeline-settings.js'
import { type PipelineHooks, WatchedAccount } from './watched-account.js'

/** Reads a watched account's name, logo and permissions from Stripe again (its custom name and logo still win). */
export async function refreshSnapshot(watched: WatchedAccount): Promise<WatchedAccount['snapshot']> {
  const { report, account } = await probeKey(watched.gateway)
  const metadata = await readAccountMetadata(watched.gateway, report, account, watched.overrides)
  watched.snapshot = { ...watched.snapshot, ...accountFields(metadata) }
  return watched.snapshot
}

/** @throws {@link AccountError} (`account_duplicate`) when the key is one of those watched or being added. */
export function assertNotWatched(key: ApiKey, watched: readonly ApiKey[]): void {
  if (watched.some((other) => other.equals(key)))
    throw new AccountError(`The key ${key.redacted} is already watched by this instance.`, {
      code: 'account_duplicate',
    })
}

/** Puts the gateway on the account's shared budget; when the cluster cannot start, `start()` says why. */
async function shareBudget(
  cluster: CashNotifyCluster,
  gateway: StripeGateway,
  account: { readonly ref: string; readonly mode: 'live' | 'test' },
): Promise<void> {
  try {
    await cluster.start()
  } catch {
    return // the check goes on within this process's own budget
  }
  gateway.shareBudget(cluster.budget(account))
}

/** What opening an account needs from the instance. */
export interface OpenContext {
  readonly settings: ResolvedOptions
  readonly pipeline: PipelineSettings
  readonly hooks: PipelineHooks
  /** The account already watched under this ref, if any. */
  readonly existing: (ref: string) => WatchedAccount | undefined
}

/**
 * Checks the key against Stripe, reads the account, and persists the moment it was first added: before
 * anything can fail later, so that what Stripe creates from here on is new, not history. Its requests go
 * through the instance's shared transport, so a failure leaves no socket of its own behind.
 * @throws {@link ConfigError} for a `webhookSecret` in clustered mode.
 */
export async function openWatchedAccount(
  context: OpenContext,
  key: ApiKey,
  choices: {
    readonly overrides: WatchedAccount['overrides']
    readonly strict: boolean
    readonly secrets: WebhookSecrets | undefined
  },
): Promise<WatchedAccount> {
  const { settings } = context
  // A push would reach whichever process the load balancer picks, not the account's lease holder.
  if (settings.cluster && choices.secrets)
    throw new ConfigError(
      'Clustered mode does not take `webhookSecret` yet: each account is polled by the process that holds its lease. Add the account without it.',
      { code: 'config_invalid' },
    )
  const gateway = new StripeGateway(
    key,
    new RequestBudget(key.mode, settings.budget, settings.now),
    context.pipeline.transport,
    {
      random: settings.random,
      ...settings.retry,
    },
  )
  const { cluster } = settings
  const snapshot = await openAccount(gateway, {
    overrides: choices.overrides,
    strict: choices.strict,
    // Clustered, the key check's reads go through the account's shared budget once it is known: processes
    // that start together would otherwise each spend a budget of their own on one account.
    ...(cluster
      ? { known: (id: string) => shareBudget(cluster, gateway, { ref: `${id}/${key.mode}`, mode: key.mode }) }
      : {}),
    assertNew: (ref) => {
      const existing = context.existing(ref)
      if (existing) {
        throw new AccountError(
          `The Stripe account ${ref} is already watched (with key ${existing.key.redacted}).`,
          {
            code: 'account_duplicate',
          },
        )
      }
    },
  })
  const { secrets } = choices
  const watched = new WatchedAccount(
    {
      snapshot: secrets ? { ...snapshot, webhookSecrets: secrets.redacted } : snapshot,
      key,
      gateway,
      overrides: choices.overrides,
      secrets,
    },
    context.pipeline,
    context.hooks,
  )
  // Clustered, the account's state is read (or first written) by whichever process wins its lease.
  if (!settings.cluster) await watched.init()
  return watched
}
