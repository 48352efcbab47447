/**
 * Stage 0, shared: what every stage uses — errors, redaction, the logger, the store contract, money,
 * the clock, time zones and days, defaults and option validation. Imports nothing from any stage.
 */
export type { Clock } from './clock.js'
export { addDays, type DayKey, dayKeyOf, dayParts, weekdayOf } from './day-keys.js'
export { DEFAULTS } from './defaults.js'
export {
  AccountError,
  CashNotifyError,
  type CashNotifyErrorCode,
  type CashNotifyErrorOptions,
  ConfigError,
  type InvalidKeyCode,
  InvalidKeyError,
  MissingPermissionError,
  NotifierError,
  type NotifierErrorOptions,
  RateLimitedError,
  StripeRequestError,
  StripeUnavailableError,
} from './errors.js'
export { type LogFields, type Logger, redactingLogger, silentLogger } from './logger.js'
export { formatAmount, type Money, MoneyFormats, minorUnitDigits } from './money.js'
export { printable } from './printable.js'
export { containsSecret, redactKey, redactSecrets } from './redact.js'
export type { KeyValueStore } from './store.js'
export {
  describeValue,
  expectedMessage,
  invalidOption,
  issueMessage,
  type OptionChecks,
  optionChecks,
  type ParseOptionsSettings,
  parseOptions,
} from './validation.js'
export { isTimeZone, systemTimeZone, ZoneClock } from './zone-clock.js'
