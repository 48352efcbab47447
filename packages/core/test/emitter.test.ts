import { describe, expect, it } from 'vitest'
import { SafeEmitter } from '../src/shared/emitter.js'

interface Events {
  tick: [n: number]
  done: []
}

describe('SafeEmitter', () => {
  it('calls listeners in order, once-listeners once, and removes listeners', () => {
    const seen: string[] = []
    const emitter = new SafeEmitter<Events>(() => {})
    const a = (n: number): void => void seen.push(`a${n}`)
    emitter.on('tick', a)
    emitter.once('tick', (n) => void seen.push(`once${n}`))
    emitter.emit('tick', 1)
    emitter.emit('tick', 2)
    emitter.off('tick', a)
    expect(emitter.emit('tick', 3)).toBe(false)
    expect(seen).toEqual(['a1', 'once1', 'a2'])
  })

  it('reports a throwing or rejecting listener and still calls the others', async () => {
    const failures: Array<[unknown, string]> = []
    const emitter = new SafeEmitter<Events>((error, event) => failures.push([error, event]))
    let called = 0
    emitter.on('done', () => {
      throw new Error('sync')
    })
    emitter.on('done', async () => {
      throw new Error('async')
    })
    emitter.on('done', () => {
      called++
    })
    expect(() => emitter.emit('done')).not.toThrow()
    await new Promise((resolve) => setImmediate(resolve))
    expect(called).toBe(1)
    expect(failures.map(([e, event]) => `${event}:${(e as Error).message}`)).toEqual([
      'done:sync',
      'done:async',
    ])
  })
})
