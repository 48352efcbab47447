import type { ModeData } from '../store.js'
import type { Json, RenderSource } from './versions.js'

/** The renderer's view of one account's data in one mode. */
export function sourceOf(data: ModeData): RenderSource {
  return {
    get: (kind, id) => data.collection(kind).get(id) as Json | undefined,
    list: (kind) => data.collection(kind).newestFirst() as unknown as Json[],
  }
}
