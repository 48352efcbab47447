/**
 * SVG to PNG with resvg (Rust, shipped prebuilt per platform in npm packages: no build, no browser). It
 * reads only the font files it is given, never the system's font list, so that the same SVG and the
 * same fonts always give the same bytes.
 */
import { Resvg } from '@resvg/resvg-js'
import type { ResolvedPngOptions } from './resolve-options.js'

/** The PNG of `svg`, `scale` device pixels per CSS pixel. */
export function svgToPng(svg: string, options: ResolvedPngOptions): Uint8Array {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: options.scale },
    font: {
      loadSystemFonts: false,
      fontFiles: [...options.fontFiles],
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  })
  return new Uint8Array(resvg.render().asPng())
}
