import { Keyv } from 'keyv'
import { describe, expect, it } from 'vitest'
import { CashNotify, type CashNotifyOptions, ConfigError } from '../src/index.js'

function configError(options: unknown): ConfigError {
  try {
    new CashNotify(options as CashNotifyOptions)
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('options were accepted')
}

describe('CashNotify options', () => {
  it('accepts no options, and a Keyv store', () => {
    expect(new CashNotify().options).toEqual({})
    const store = new Keyv()
    expect(new CashNotify({ store, pollInterval: 2_000 }).store).toBe(store)
  })

  it.each([
    [{ pollInterval: 10 }, 'Expected `pollInterval` to be at least 1000, got 10.'],
    [{ pollInterval: 1.5e7 }, 'Expected `pollInterval` to be at most 3600000, got 15000000.'],
    [{ pollInterval: '5s' }, 'Expected `pollInterval` to be a number, got "5s".'],
    [{ polInterval: 5000 }, 'Unknown option `polInterval`.'],
    [{ stripe: { hots: 'x' } }, 'Unknown option `stripe.hots`.'],
    [{ stripe: { protocol: 'ftp' } }, 'Expected `stripe.protocol` to be one of "http", "https", got "ftp".'],
    [{ budget: { testPerSecond: 0 } }, 'Expected `budget.testPerSecond` to be greater than 0, got 0.'],
    [
      { store: {} },
      'Expected `store` to be a Keyv instance (an object with get, set and delete), got an object.',
    ],
    [
      { logger: console.log },
      'Expected `logger` to be a logger (an object with debug, info, warn and error), got a function.',
    ],
  ])('refuses %j with a message naming the option', (options, message) => {
    const error = configError(options)
    expect(error.code).toBe('config_invalid')
    expect(error.message).toContain(message)
    expect(error.cause).toMatchObject({ path: expect.any(Array) })
  })
})
