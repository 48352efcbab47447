import { createHash } from 'node:crypto'
import type { StripeGateway } from '../stripe/client.js'
import type { Account } from './account.js'
import { AccountRefusedError } from './errors.js'
import type { ApiKey } from './keys.js'
import { accountFields, type MetadataOverrides, readAccountMetadata } from './metadata.js'
import { type ProbeOptions, probeKey } from './probe.js'

/** When Stripe never names the account, a stable id that cannot be turned back into the key. */
function fallbackAccountId(key: ApiKey): string {
  return `acct_unknown_${createHash('sha256').update(key.reveal()).digest('hex').slice(0, 12)}`
}

/**
 * Probes a key and builds the account it watches: refused without `rak_event_read` (nothing could work)
 * or, when `strict`, without every required permission; otherwise `active` or `degraded`.
 * `assertNew` runs once the account is known and before the logo's file link is created, so a duplicate
 * is refused without side effects.
 */
export async function openAccount(
  gateway: StripeGateway<ApiKey>,
  options: {
    overrides: MetadataOverrides
    strict: boolean
    assertNew: (ref: string) => void
    known?: ProbeOptions['known']
  },
): Promise<Account> {
  const { overrides, strict, assertNew, known } = options
  const { key } = gateway
  const { report, account } = await probeKey(gateway, known ? { known } : {})
  if (report.verdict === 'refused') {
    throw new AccountRefusedError(
      `The key ${key.redacted} may not read events (rak_event_read), so nothing can be watched. Create a restricted key with the required permissions: ${report.restrictedKeyUrl}`,
      { report },
    )
  }
  if (strict && !report.ok) {
    throw new AccountRefusedError(
      `The key ${key.redacted} lacks required permissions (strict permissions): ${[...report.missingRequired, ...report.unknown].join(', ')}.`,
      { report },
    )
  }
  const id = report.accountId ?? fallbackAccountId(key)
  assertNew(`${id}/${key.mode}`)
  const metadata = await readAccountMetadata(gateway, report, account, overrides)
  return {
    ref: `${id}/${key.mode}`,
    id,
    mode: key.mode,
    key: { kind: key.kind, redacted: key.redacted },
    ...accountFields(metadata),
  }
}
