/**
 * Stage 1, stripe: the way to Stripe — one gateway per key through its request budget, retries, and the
 * mapping of Stripe's errors. Imports only from shared/.
 */
export type { SharedBudget, StripeGateway } from './client.js'
export { type StripeConnectionOptions, stripeConnectionFromUrl } from './connection.js'
export type { KeyMode, StripeCredential } from './credential.js'
export type { ReadKind, ReadsByKind } from './read-ledger.js'
export type { RequestBudgetOptions } from './request-budget.js'
export type { RetryOptions } from './retry.js'
