export { type RedisCluster, redisCluster } from './cluster.js'
export { type ClusterFingerprint, canonical } from './cluster-config.js'
export { type ConnectionKind, type ConnectOptions, connectRedis, createRedis } from './connect.js'
export { deliveryJobId, queueName } from './delivery/job-id.js'
export { DELIVERY_DEFAULTS, type DeliveryOptions, retryDelay } from './delivery/options.js'
export { type DeadLetter, type DeliveryJob, DeliveryQueues } from './delivery/queues.js'
export {
  type DeliverySend,
  type DeliveryWorker,
  type DeliveryWorkerOptions,
  startDeliveryWorker,
} from './delivery/worker.js'
export { RedisClusterError, type RedisClusterErrorReason } from './errors.js'
export { type BalanceResult, fairShare, LeaseBalancer, preference } from './fair-share.js'
export { type ClusterKeys, clusterKeys } from './keys.js'
export { type ClaimResult, type Lease, Leases, type LeasesOptions } from './leases.js'
export { Membership } from './membership.js'
export { NAME, type RedisClusterOptions } from './options.js'
export { type SharedReadKind, SharedReadLedger } from './read-ledger.js'
export { maskRedisUrl } from './redis-url.js'
export { BUDGET_DEFAULTS, type SharedBudgetOptions, SharedRequestBudget, WINDOW_MS } from './shared-budget.js'
export { createSharedStore, fencedStore, type SharedStore, type StateStore } from './state-store.js'
