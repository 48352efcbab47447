import {
  checkKey,
  InvalidKeyError,
  type PermissionReport,
  StripeUnavailableError,
  stripeConnectionFromUrl,
} from '@cashnotify/core'
import { formatReport } from './format-report.js'

/** Exit codes of `cashnotify check-key`, as documented in its help. */
export const EXIT = { ok: 0, missingRequired: 1, invalidKey: 2, unreachable: 3, usage: 64 } as const

/** Input of {@link runCheckKey}. */
export interface CheckKeyCommand {
  key: string
  json: boolean
  stripeUrl?: string | undefined
}

/** Where the command writes. */
export interface Output {
  out: (text: string) => void
  err: (text: string) => void
}

/** Runs `check-key` and returns its exit code. */
export async function runCheckKey(command: CheckKeyCommand, output: Output): Promise<number> {
  let report: PermissionReport
  try {
    report = await checkKey(command.key, {
      ...(command.stripeUrl ? { stripe: stripeConnectionFromUrl(command.stripeUrl) } : {}),
      retry: { retries: 1, baseDelayMs: 250 },
    })
  } catch (error) {
    const code =
      error instanceof InvalidKeyError
        ? EXIT.invalidKey
        : error instanceof StripeUnavailableError
          ? EXIT.unreachable
          : 1
    const message = error instanceof Error ? error.message : String(error)
    if (command.json) {
      const errorCode = (error as { code?: string }).code ?? 'unexpected'
      output.out(JSON.stringify({ ok: false, error: { code: errorCode, message } }, null, 2))
    } else output.err(message)
    return code
  }
  output.out(command.json ? JSON.stringify(report, null, 2) : formatReport(report))
  return report.ok ? EXIT.ok : EXIT.missingRequired
}
