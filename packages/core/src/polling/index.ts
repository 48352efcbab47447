/**
 * Stage 3, polling: each account's loop — every Stripe event once, oldest first, across restarts, with
 * its progress in the store. Imports from shared/, stripe/ and accounts/.
 */
export { AccountPoller, type PollerSettings, type PollerSink } from './poller.js'
