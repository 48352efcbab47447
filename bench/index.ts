import { benchDelivery } from './delivery.js'
import { benchEnrichment } from './enrichment.js'
import { benchPolling } from './polling.js'

/** `npm run bench`: every benchmark, each printing its table. */
await benchPolling()
await benchEnrichment()
await benchDelivery()
