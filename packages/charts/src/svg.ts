/**
 * Vega-Lite compiled to Vega, and Vega's headless view (no renderer, no canvas, no browser) drawing it
 * as SVG; then the `<title>` and `<desc>` that make it an accessible image.
 */
import { createHash } from 'node:crypto'
import { parse, View } from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'

/** The SVG of a Vega-Lite specification. Each call has its own view, finalized when done. */
export async function specToSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' })
  try {
    return await view.toSVG()
  } finally {
    view.finalize()
  }
}

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char)
}

/**
 * The SVG as an image with a name and a description: `role="img"`, `aria-labelledby` pointing at a
 * `<title>` and a `<desc>` first in the document. Their ids come from the texts, so the same chart always
 * has the same bytes, and two different charts inlined in one page do not share an id.
 */
export function accessibleSvg(svg: string, title: string, description: string): string {
  const id = `cashnotify-chart-${createHash('sha256').update(`${title}\n${description}`).digest('hex').slice(0, 12)}`
  const open = svg.indexOf('>', svg.indexOf('<svg'))
  const head = `${svg.slice(0, open)} role="img" aria-labelledby="${id}-title ${id}-desc">`
  const texts = `<title id="${id}-title">${escapeXml(title)}</title><desc id="${id}-desc">${escapeXml(description)}</desc>`
  return `${head}${texts}${svg.slice(open + 1)}`
}
