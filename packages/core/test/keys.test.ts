import { inspect } from 'node:util'
import { describe, expect, it } from 'vitest'
import { ApiKey } from '../src/accounts/keys.js'
import { InvalidKeyError, parseKey, redactKey } from '../src/index.js'

const body = 'Abc123DEF456ghi789JKL012mno345PQR'
const sk = `sk_test_${body}`

function rejection(input: string): InvalidKeyError {
  try {
    parseKey(input)
  } catch (error) {
    if (error instanceof InvalidKeyError) return error
    throw error
  }
  throw new Error(`parseKey accepted ${input}`)
}

describe('parseKey', () => {
  it.each([
    [`sk_live_${body}`, 'secret', 'live'],
    [`sk_test_${body}`, 'secret', 'test'],
    [`rk_live_${body}`, 'restricted', 'live'],
    [`rk_test_${body}`, 'restricted', 'test'],
  ] as const)('reads the kind and mode of %s', (key, kind, mode) => {
    const parsed = parseKey(key)
    expect(parsed.kind).toBe(kind)
    expect(parsed.mode).toBe(mode)
    expect(parsed.reveal()).toBe(key)
  })

  it('accepts a legacy 24-character key body', () => {
    expect(parseKey('sk_test_4eC39HqLyjWDarjtT1zdp7dc').kind).toBe('secret')
  })

  it.each([
    ['', /no key was given/],
    ['   ', /no key was given/],
    [` ${sk}`, /whitespace/],
    [`${sk}\n`, /whitespace/],
    [`sk_test_Abc123 DEF456ghi789JKL012mno345`, /whitespace/],
    [`Bearer ${sk}`, /Authorization header/],
    [`bearer ${sk}`, /Authorization header/],
    ['whsec_abcdefghijklmnopqrstuvwxyz', /webhook signing secret/],
    [`ak_test_${body}`, /does not start with sk_live_/],
    [`sk_prod_${body}`, /does not start with sk_live_/],
    ['acct_1Abc', /does not start with sk_live_/],
    ['sk_test_4eC39HqLyjWDarjt', /truncated: 16 characters/],
    [`sk_test_${body}-x`, /characters that Stripe keys never have/],
    [`sk_test_${'a'.repeat(300)}`, /longer than any Stripe key/],
  ])('refuses %j as malformed, saying what is wrong', (input, reason) => {
    const error = rejection(input)
    expect(error.code).toBe('key_malformed')
    expect(error.message).toMatch(reason)
    expect(error.retryable).toBe(false)
  })

  it.each([
    ['a restricted key after a secret key', `sk_test_${body}rk_live_${body}`],
    ['a live key after a test key', `rk_test_${body}rk_live_${body}`],
    ['a publishable key after a restricted key', `rk_live_${body}pk_live_${body}`],
  ])('says "two keys pasted together?" for %s, not "characters Stripe keys never have"', (_name, input) => {
    const error = rejection(input)
    expect(error.code).toBe('key_malformed')
    expect(error.message).toMatch(/were two keys pasted together\?/)
    expect(error.message).not.toMatch(/characters that Stripe keys never have/)
    expect(error.message).not.toContain(body)
  })

  it.each([`pk_live_${body}`, `pk_test_${body}`])('refuses the publishable key %s with guidance', (key) => {
    const error = rejection(key)
    expect(error.code).toBe('key_publishable')
    expect(error.message).toMatch(/needs the secret key or, better, a restricted key/)
    expect(error.message).not.toContain(body)
  })

  it('never puts the key into an error message', () => {
    for (const input of [`Bearer ${sk}`, ` ${sk}`, `sk_test_${body}-x`]) {
      expect(rejection(input).message).not.toContain(body)
    }
  })
})

describe('ApiKey', () => {
  it('prints, serialises and inspects as the redacted key only', () => {
    const key = parseKey(`rk_live_${body}`)
    expect(String(key)).toBe('rk_live_…5PQR')
    expect(JSON.stringify({ key })).toBe(
      '{"key":{"kind":"restricted","mode":"live","redacted":"rk_live_…5PQR"}}',
    )
    expect(inspect(key)).toBe('ApiKey(rk_live_…5PQR)')
    expect(inspect({ nested: { key } }, { depth: 5 })).not.toContain(body)
  })

  it('compares keys without exposing them', () => {
    expect(parseKey(sk).equals(parseKey(sk))).toBe(true)
    expect(parseKey(sk).equals(parseKey(`sk_live_${body}`))).toBe(false)
    expect(parseKey(parseKey(sk))).toBeInstanceOf(ApiKey)
  })
})

describe('redactKey', () => {
  it('keeps the prefix and the last four characters', () => {
    expect(redactKey(`rk_live_${body}`)).toBe('rk_live_…5PQR')
    expect(redactKey(`sk_test_${body}`)).toBe('sk_test_…5PQR')
  })

  it('shows nothing of a short body, and nothing of something that is not a key', () => {
    expect(redactKey('sk_test_abc')).toBe('sk_test_…')
    expect(redactKey('hunter2-password')).toBe('[redacted key]')
  })
})
