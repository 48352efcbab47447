/** Reads what the tests check in an SVG: its size, its texts, its bars by series. */

/** The root element's `width` and `height` attributes. */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? ''
  return {
    width: Number(/\swidth="([\d.]+)"/.exec(root)?.[1]),
    height: Number(/\sheight="([\d.]+)"/.exec(root)?.[1]),
  }
}

/** The content of every `<text>` element (a two-line label's lines are `<tspan>`s: each counts alone). */
export function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<(?:text|tspan)\b[^>]*>([^<]+)</g)].map((m) => decode(m[1] ?? ''))
}

function decode(text: string): string {
  return text.replace(
    /&(amp|lt|gt|quot|apos|#39);/g,
    (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" })[name] ?? '',
  )
}

/** One bar: its fill, where it is and how large, in CSS pixels. */
export interface Bar {
  readonly fill: string
  readonly x: number
  readonly width: number
  readonly height: number
  /** The middle of the band it stands in: the same for both periods' bars of one slot. */
  readonly centre: number
}

/** The bars of a series (`current` or `previous`), in the order they are drawn. */
export function svgBars(svg: string, series: 'current' | 'previous'): Bar[] {
  const group = new RegExp(`<g class="mark-rect role-mark ${series}_marks"[^>]*>(.*?)</g>`).exec(svg)?.[1]
  if (group === undefined) return []
  const path = /<path d="M([-\d.]+),[-\d.]+h([-\d.]+)v([-\d.]+)h[-\d.]+Z" fill="([^"]+)"/g
  return [...group.matchAll(path)].map((m) => {
    const [x, width, height] = [Number(m[1]), Number(m[2]), Number(m[3])]
    return { fill: m[4] ?? '', x, width, height, centre: Math.round((x + width / 2) * 100) / 100 }
  })
}

/** The text of the `<title>` and `<desc>` elements, and whether the root points at them. */
export function svgAccessibility(svg: string): { title?: string; desc?: string; labelled: boolean } {
  const title = /<title id="([^"]+)">([^<]*)<\/title>/.exec(svg)
  const desc = /<desc id="([^"]+)">([^<]*)<\/desc>/.exec(svg)
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? ''
  const labelled =
    title !== null && desc !== null && root.includes(`aria-labelledby="${title[1]} ${desc[1]}"`)
  return {
    ...(title ? { title: decode(title[2] ?? '') } : {}),
    ...(desc ? { desc: decode(desc[2] ?? '') } : {}),
    labelled: labelled && root.includes('role="img"'),
  }
}
