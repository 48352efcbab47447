/**
 * Stage 3, polling: each account's loop — every Stripe event once, oldest first, across restarts, with
 * its progress in the store. Imports from shared/, stripe/ and accounts/.
 */
export {
  ALLOCATION_FLOOR,
  type PacingSettings,
  READS_PER_PAYMENT,
  type ReadUsage,
  type RestingPace,
  type RestingPaceInput,
  restingPace,
} from './pacing.js'
export { AccountPoller } from './poller.js'
export type { PollerSettings, PollerSink } from './poller-types.js'
export { PushIntake, type PushState } from './push.js'
export { type StoredUsageOptions, storedReadUsage } from './stored-usage.js'
