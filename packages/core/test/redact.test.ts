import { describe, expect, it } from 'vitest'
import type { LogFields, Logger } from '../src/index.js'
import { containsSecret, redactingLogger, redactSecrets } from '../src/index.js'

// Built at run time, so no file of the repository holds text shaped like a live key.
const key = ['rk', 'live', '51HabcdefghijklmnopqrstuvwxYZ0123'].join('_')

describe('redactSecrets', () => {
  it('redacts every key and webhook secret in a text', () => {
    const text = `keys ${key} and sk_test_4eC39HqLyjWDarjtT1zdp7dc, secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw`
    const redacted = redactSecrets(text)
    expect(redacted).toBe('keys rk_live_…0123 and sk_test_…p7dc, secret whsec_…LaSw')
    expect(containsSecret(redacted)).toBe(false)
    expect(containsSecret(text)).toBe(true)
  })

  it("leaves Stripe's own masked keys alone", () => {
    const masked = "The provided key 'rk_test_*****************abcd' does not have the required permissions"
    expect(redactSecrets(masked)).toBe(masked)
    expect(containsSecret(masked)).toBe(false)
  })

  it('is idempotent', () => {
    expect(redactSecrets(redactSecrets(key))).toBe(redactSecrets(key))
  })
})

describe('redactingLogger', () => {
  it('redacts messages and nested fields, including errors', () => {
    const lines: Array<[string, LogFields | undefined]> = []
    const sink: Logger = {
      debug: (m, f) => lines.push([m, f]),
      info: (m, f) => lines.push([m, f]),
      warn: (m, f) => lines.push([m, f]),
      error: (m, f) => lines.push([m, f]),
    }
    const logger = redactingLogger(sink)
    logger.info(`using ${key}`)
    logger.error('failed', {
      request: { headers: { authorization: `Bearer ${key}` } },
      error: new Error(key),
    })
    logger.warn('list', { keys: [key, key] })
    const text = JSON.stringify(lines)
    expect(text).not.toContain(key)
    expect(text).toContain('rk_live_…0123')
    expect(lines).toHaveLength(3)
  })
})
