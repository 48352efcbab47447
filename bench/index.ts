import { benchPolling } from './polling.js'

/** `npm run bench`: every benchmark, each printing its table. */
await benchPolling()
