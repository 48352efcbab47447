/**
 * Imported after tsx by every bench process (`--import tsx --import ./bench/as-shipped.ts`, `npm run bench`
 * and `spawnBench`): tsx turns
 * source maps on, which makes each `new Error().stack` map its frames. stripe-node takes a stack on every
 * request, so under tsx a request costs what it never costs a user running the built JavaScript.
 */
process.setSourceMapsEnabled(false)
