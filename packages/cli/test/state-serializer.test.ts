import fc from 'fast-check'
import { Keyv } from 'keyv'
import { describe, expect, it } from 'vitest'
import { serializeState } from '../src/store/state-serializer.js'

const keyvDefault = new Keyv()
const defaultSerialize = (data: unknown): string => keyvDefault.serialize?.(data as never) as string
const defaultDeserialize = (text: string): unknown => keyvDefault.deserialize?.(text)

// Strings that start with `:` are the ones Keyv's format escapes.
const text = fc.oneof(
  fc.string(),
  fc.string().map((s) => `:${s}`),
  fc.constant(':base64:AAEC'),
)
const value = fc.letrec((tie) => ({
  any: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('any'), { maxLength: 5 }),
    fc.dictionary(text, tie('any'), { maxKeys: 5 }),
  ),
})).any

describe('serializeState, the daemon’s Keyv serializer', () => {
  it('writes what Keyv’s default serializer writes, for any JSON value and with an expiry', () => {
    fc.assert(
      fc.property(value, fc.option(fc.integer({ min: 0 })), (data, expires) => {
        const stored = expires === null ? { value: data } : { value: data, expires }
        expect(serializeState(stored)).toBe(defaultSerialize(stored))
      }),
      { numRuns: 500 },
    )
  })

  it('escapes strings that start with a colon, so Keyv reads them back unchanged', () => {
    const stored = { value: { name: ':smile: shop', list: [':a', 'b:'], '::key': 1 } }
    expect(serializeState(stored)).toBe('{"value":{"name":"::smile: shop","list":["::a","b:"],"::key":1}}')
    expect(defaultDeserialize(serializeState(stored))).toEqual(stored)
  })

  it('writes Buffers as Keyv does, dates as ISO strings, and leaves out undefined fields', () => {
    const stored = {
      value: { logo: Buffer.from([1, 2, 3]), at: new Date(Date.UTC(2026, 11, 3)), gone: undefined },
    }
    expect(serializeState(stored)).toBe(defaultSerialize(stored))
    expect(serializeState(stored)).toBe('{"value":{"logo":":base64:AQID","at":"2026-12-03T00:00:00.000Z"}}')
    expect(defaultDeserialize(serializeState(stored))).toEqual({
      value: { logo: Buffer.from([1, 2, 3]), at: '2026-12-03T00:00:00.000Z' },
    })
  })
})
