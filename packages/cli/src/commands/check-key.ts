import {
  CashNotifyError,
  checkKey,
  InvalidKeyError,
  type PermissionReport,
  stripeConnectionFromUrl,
} from '@cashnotify/core'
import { EXIT_CODES } from '../exit-codes.js'
import { type Output, printableText } from '../output.js'
import { formatReport } from './check-key-report.js'

/** Input of {@link runCheckKey}. */
export interface CheckKeyCommand {
  readonly key: string
  readonly json: boolean
  readonly stripeUrl?: string | undefined
}

/** The exit code of each verdict: what `watch` would make of the key (core's `PermissionReport.verdict`). */
export const VERDICT_EXIT: Readonly<Record<PermissionReport['verdict'], number>> = {
  active: EXIT_CODES.ok,
  degraded: EXIT_CODES.degraded,
  refused: EXIT_CODES.invalid,
}

function failureCode(error: unknown): number {
  if (error instanceof InvalidKeyError) return EXIT_CODES.invalid
  // Unreachable, 5xx, or 429s that outlasted the retries: trying again later can help.
  if (error instanceof CashNotifyError && error.retryable) return EXIT_CODES.unreachable
  return EXIT_CODES.software
}

/** Runs `check-key` and returns its exit code: that of the key's verdict, or of why it could not be checked. */
export async function runCheckKey(command: CheckKeyCommand, output: Output): Promise<number> {
  let report: PermissionReport
  try {
    report = await checkKey(command.key, {
      ...(command.stripeUrl ? { stripe: stripeConnectionFromUrl(command.stripeUrl) } : {}),
      retry: { retries: 1, baseDelayMs: 250 },
    })
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    if (command.json) {
      const code = error instanceof CashNotifyError ? error.code : 'unexpected'
      output.out(JSON.stringify({ ok: false, error: { code, message } }, null, 2))
    } else output.err(printableText(message))
    return failureCode(error)
  }
  output.out(command.json ? JSON.stringify(report, null, 2) : formatReport(report))
  return VERDICT_EXIT[report.verdict]
}
