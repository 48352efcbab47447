import type { ServerResponse } from 'node:http'
import type { AccountLogo } from '@cashnotify/core'

/**
 * Answers with an account's logo: its bytes (custom and generic logos), or a redirect to its public URL
 * (a Stripe file link). 404 when there is none.
 */
export function sendLogo(response: ServerResponse, logo: AccountLogo | undefined): void {
  if (logo?.data) {
    const type = logo.contentType
    if (type) {
      response.writeHead(200, {
        'content-type': type,
        'content-length': logo.data.byteLength,
        'cache-control': 'private, max-age=300',
        'x-content-type-options': 'nosniff',
      })
      response.end(logo.data)
      return
    }
  }
  if (logo?.url && /^https?:\/\//i.test(logo.url)) {
    response.writeHead(302, { location: logo.url, 'cache-control': 'private, max-age=300' })
    response.end()
    return
  }
  response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
  response.end('No logo for this account.\n')
}
