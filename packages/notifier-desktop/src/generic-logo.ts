import { genericLogo } from '@cashnotify/core/notifier'

/**
 * The icon shown when an account has no logo, or its logo cannot be read: core's generic account logo,
 * so both end up as one cached file.
 */
export function genericIcon(): Uint8Array {
  return genericLogo().data ?? new Uint8Array()
}
