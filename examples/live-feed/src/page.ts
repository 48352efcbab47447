import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'

/** The page, and the Content-Security-Policy that lets only its own inline script and style run. */
export interface Page {
  /** The HTML. */
  readonly html: string
  /** The `Content-Security-Policy` header to serve it with. */
  readonly csp: string
}

function hashes(html: string, tag: 'script' | 'style'): string {
  const blocks = html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))
  return [...blocks]
    .map(([, body = '']) => `'sha256-${createHash('sha256').update(body).digest('base64')}'`)
    .join(' ')
}

/**
 * Reads `page.html` (one file, inline CSS and JS) and builds its CSP: the inline blocks are allowed by
 * hash, so an injected script could not run even if the page let one in. Logos may come from this
 * server or from a Stripe file link.
 */
export async function loadPage(): Promise<Page> {
  const html = await readFile(new URL('./page.html', import.meta.url), 'utf8')
  const csp = [
    "default-src 'none'",
    `script-src ${hashes(html, 'script')}`,
    `style-src ${hashes(html, 'style')}`,
    "img-src 'self' https: http:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
  return { html, csp }
}
