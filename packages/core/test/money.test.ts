import { describe, expect, it } from 'vitest'
import { formatAmount } from '../src/index.js'
import { MoneyFormats, minorUnitDigits, money } from '../src/shared/money.js'

describe('money', () => {
  it.each([
    [4900, 'usd', '$49.00'],
    [123456, 'eur', '€1,234.56'],
    [5, 'gbp', '£0.05'],
    [4900, 'jpy', '¥4,900'],
    [15000, 'krw', '₩15,000'],
    [4900, 'kwd', 'KWD 4.900'],
    [1250, 'bhd', 'BHD 1.250'],
    [99, 'JPY', '¥99'],
  ])('formats %i %s as %s', (amount, currency, formatted) => {
    // Intl puts a no-break space between a code and the number, so the two never wrap apart.
    expect(formatAmount(amount, currency).replace(/\u00a0/g, ' ')).toBe(formatted)
  })

  it('knows Stripe’s zero- and three-decimal currencies', () => {
    expect(['jpy', 'krw', 'vnd', 'clp', 'xof'].map(minorUnitDigits)).toEqual([0, 0, 0, 0, 0])
    expect(['kwd', 'bhd', 'jod', 'omr', 'tnd'].map(minorUnitDigits)).toEqual([3, 3, 3, 3, 3])
    expect(['usd', 'eur', 'huf', 'twd'].map(minorUnitDigits)).toEqual([2, 2, 2, 2])
  })

  it('builds Money with a lower-case currency, and formats unknown codes without throwing', () => {
    expect(money(4900, 'USD')).toEqual({ amount: 4900, currency: 'usd', formatted: '$49.00' })
    expect(formatAmount(1234, 'xyz')).toMatch(/12\.34/)
    expect(formatAmount(1234, 'x1')).toBe('12.34 X1')
  })

  it('formats in another locale when asked', () => {
    expect(formatAmount(123456, 'eur', 'de-DE').replace(/\u00a0/g, ' ')).toBe('1.234,56 €')
  })
})

describe('MoneyFormats', () => {
  it('formats as formatAmount does, building one Intl.NumberFormat per currency', () => {
    const formats = new MoneyFormats()
    const original = Intl.NumberFormat
    let built = 0
    const intl = Intl as { NumberFormat: typeof Intl.NumberFormat }
    intl.NumberFormat = new Proxy(original, {
      construct(target, args: ConstructorParameters<typeof Intl.NumberFormat>) {
        built++
        return new target(...args)
      },
    })
    try {
      const cases: Array<[number, string]> = [
        [4900, 'usd'],
        [4900, 'JPY'],
        [4900, 'kwd'],
        [123, 'xyz'],
        [1, 'usd'],
        [99_999, 'jpy'],
      ]
      for (let round = 0; round < 50; round++) {
        for (const [amount, currency] of cases) {
          expect(formats.format(amount, currency)).toBe(formatAmount(amount, currency))
        }
      }
      // formatAmount built one per call (300); the cache one per known currency (usd, jpy, kwd, and xyz).
      expect(built).toBe(300 + 4)
      expect(formats.money(4900, 'EUR')).toEqual({ amount: 4900, currency: 'eur', formatted: '€49.00' })
    } finally {
      intl.NumberFormat = original
    }
  })
})
