/**
 * Stage 2, accounts: keys, permissions and the probe that checks them, `checkKey`, and an account's
 * name, logo and status. Imports from shared/ and stripe/.
 */
export type { Account, AccountStatus } from './account.js'
export { type CheckKeyOptions, checkKey } from './check-key.js'
export { AccountRefusedError } from './errors.js'
export { type ApiKey, type KeyKind, parseKey } from './keys.js'
export type { AccountLogo, LogoContentType } from './logo.js'
export { genericLogo, MAX_LOGO_BYTES, sniffImageType } from './logo.js'
export type { LostFeature, PermissionCheck, PermissionReport, PermissionState } from './permission-report.js'
export {
  type Feature,
  OPTIONAL_PERMISSIONS,
  PERMISSIONS,
  type PermissionInfo,
  type PermissionName,
  REQUIRED_PERMISSIONS,
  type RestrictedKeyUrlOptions,
  restrictedKeyUrl,
} from './permissions.js'
