import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A 1×1 PNG, different from the generic logo. */
export const LOGO_PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
)

/** A local HTTP server standing in for Stripe's file links, counting requests per path. */
export interface LogoServer {
  /** `http://127.0.0.1:port` + path. */
  url(path: string): string
  /** How many requests a path got. */
  hits(path: string): number
  /** Resolves when the path gets its next request. */
  nextRequest(path: string): Promise<void>
  /** Answers the requests `/hang` holds, with a 404. */
  releaseHanging(): void
  close(): Promise<void>
}

/**
 * Serves `/logo.png` (a PNG), `/missing` (404), `/text` (not an image), `/huge` (2 MiB), and `/hang`
 * (headers never sent, until the server closes).
 */
export async function startLogoServer(): Promise<LogoServer> {
  const counts = new Map<string, number>()
  const waiting: Array<{ path: string; resolve: () => void }> = []
  const hanging: ServerResponse[] = []
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/'
    counts.set(path, (counts.get(path) ?? 0) + 1)
    for (const waiter of waiting.filter((w) => w.path === path)) {
      waiting.splice(waiting.indexOf(waiter), 1)
      waiter.resolve()
    }
    if (path.startsWith('/logo')) response.writeHead(200, { 'content-type': 'image/png' }).end(LOGO_PNG)
    else if (path === '/text')
      response.writeHead(200, { 'content-type': 'text/html' }).end('<html>hello</html>')
    else if (path === '/huge')
      response.writeHead(200).end(Buffer.concat([LOGO_PNG, Buffer.alloc(2 * 1024 * 1024)]))
    else if (path === '/hang') hanging.push(response)
    else response.writeHead(404).end('not found')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    hits: (path) => counts.get(path) ?? 0,
    releaseHanging: () => {
      for (const response of hanging.splice(0)) response.writeHead(404).end()
    },
    nextRequest: (path) => new Promise((resolve) => waiting.push({ path, resolve })),
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
