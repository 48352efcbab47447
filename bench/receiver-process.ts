/**
 * A loopback webhook receiver in a process of its own, so that its CPU is not the sender's:
 * `node --import tsx bench/receiver-process.ts` answers 200 to every POST, prints `{"url": …}` on a line
 * of stdout, and serves until its stdin closes (the parent ended).
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

const server = createServer((request, response) => {
  request.resume()
  request.on('end', () => response.writeHead(200).end())
})
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
const { port } = server.address() as AddressInfo
console.log(JSON.stringify({ url: `http://127.0.0.1:${port}/hook` }))
process.stdin.resume()
process.stdin.on('close', () => {
  server.closeAllConnections()
  server.close(() => process.exit(0))
})
