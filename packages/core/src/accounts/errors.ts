import { AccountError } from '../shared/errors.js'
import type { PermissionReport } from './permission-report.js'

/**
 * The key cannot watch the account: it lacks `rak_event_read`, or strict permissions were asked for and
 * a required one is missing. The report says what is missing and links to a better key.
 */
export class AccountRefusedError extends AccountError {
  declare readonly code: 'account_refused'
  /** What the key may and may not do. */
  readonly report: PermissionReport

  constructor(message: string, options: { report: PermissionReport; cause?: unknown }) {
    super(message, { code: 'account_refused', cause: options.cause })
    this.name = 'AccountRefusedError'
    this.report = options.report
  }
}
