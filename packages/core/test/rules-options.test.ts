import { describe, expect, it } from 'vitest'
import { CashNotify, ConfigError, type Notifier } from '../src/index.js'

const notifier: Notifier = { name: 'phone', send: async () => {} }

function message(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('no error')
}

describe('rules options', () => {
  it('says which rule of the instance is wrong, and how', () => {
    expect(message(() => new CashNotify({ rules: { quietHours: { from: '25:00', to: '08:00' } } }))).toBe(
      '[cashnotify] Expected `rules.quietHours.from` to be a time of day `HH:MM` such as `22:00`, got "25:00".',
    )
    expect(message(() => new CashNotify({ rules: { quietHours: { from: '22:00', to: '22:00' } } }))).toBe(
      '[cashnotify] Expected `rules.quietHours.to` to be a time other than `from`, got "22:00".',
    )
    expect(
      message(
        () =>
          new CashNotify({ rules: { quietHours: { from: '22:00', to: '08:00', timeZone: 'Mars/Base' } } }),
      ),
    ).toBe(
      '[cashnotify] Expected `rules.quietHours.timeZone` to be an IANA time zone such as `Europe/Paris`, got "Mars/Base".',
    )
    expect(message(() => new CashNotify({ rules: { groupWithinSeconds: -1 } }))).toBe(
      '[cashnotify] Expected `rules.groupWithinSeconds` to be at least 0, got -1.',
    )
    // @ts-expect-error: a misspelt rule
    expect(message(() => new CashNotify({ rules: { quietHour: { from: '22:00', to: '08:00' } } }))).toBe(
      '[cashnotify] Unknown option `rules.quietHour`.',
    )
  })

  it("says which notifier's rule is wrong, and adds nothing when it is", () => {
    expect(
      message(
        () => new CashNotify({ notifiers: [{ notifier, rules: { largeSale: { minAmount: { usd: 0 } } } }] }),
      ),
    ).toBe('[cashnotify] [phone] Expected `rules.largeSale.minAmount.usd` to be at least 1, got 0.')
    expect(
      message(() => new CashNotify({ notifiers: [{ notifier, rules: { milestones: { usd: [] } } }] })),
    ).toBe('[cashnotify] [phone] Expected `rules.milestones.usd` to be at least 1 items long, got an array.')
    const cn = new CashNotify()
    expect(
      message(() => cn.use(notifier, { name: 'slack', rules: { firstSaleOfDay: 'yes' as never } })),
    ).toBe('[cashnotify] [slack] Expected `rules.firstSaleOfDay` to be a boolean, got "yes".')
    // The notifier was not added: the same name is free.
    expect(() => cn.use(notifier, { name: 'slack', rules: { firstSaleOfDay: true } })).not.toThrow()
  })
})
