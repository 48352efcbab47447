import { benchCluster } from './cluster.js'
import { benchDelivery } from './delivery.js'
import { benchEnrichment } from './enrichment.js'
import { benchFleetMemory } from './fleet-memory.js'
import { benchIdlePoll } from './idle-poll.js'
import { benchPolling } from './polling.js'
import { benchReadAllocation } from './read-allocation.js'
import { benchSaleLatency } from './sale-latency.js'
import { benchStartStall } from './start-stall.js'

const BENCHES: Record<string, () => Promise<void>> = {
  polling: benchPolling,
  enrichment: benchEnrichment,
  delivery: benchDelivery,
  reads: benchReadAllocation,
  latency: benchSaleLatency,
  idle: benchIdlePoll,
  rss: benchFleetMemory,
  stall: benchStartStall,
  cluster: benchCluster,
}

/** `npm run bench`: every benchmark, each printing its table; `npm run bench -- reads latency`: those. */
const chosen = process.argv.slice(2)
const unknown = chosen.filter((name) => !(name in BENCHES))
if (unknown.length > 0) {
  console.error(
    `[bench] Unknown benchmark ${unknown.map((n) => `\`${n}\``).join(', ')}: expected some of ${Object.keys(BENCHES).join(', ')}, or none for all.`,
  )
  process.exit(64)
}
for (const [name, bench] of Object.entries(BENCHES)) {
  if (chosen.length === 0 || chosen.includes(name)) await bench()
}
