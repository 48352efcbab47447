import type Stripe from 'stripe'
import { describe, expectTypeOf, it } from 'vitest'
import {
  type Account,
  type AccountStatus,
  CashNotify,
  type CashNotifyError,
  type Gap,
  type Notifier,
  type NotifierFactory,
  type PermissionName,
  parseKey,
  restrictedKeyUrl,
} from '../src/index.js'

describe('the event map', () => {
  const cn = new CashNotify()

  it('types each listener by its event', () => {
    cn.on('stripe.event', (event, context) => {
      expectTypeOf(event).toEqualTypeOf<Stripe.Event>()
      expectTypeOf(context.account).toEqualTypeOf<Account>()
      expectTypeOf(context.backfill).toEqualTypeOf<boolean>()
    })
    cn.on('gap', (gap) => expectTypeOf(gap).toEqualTypeOf<Gap>())
    cn.on('account.status', (change) => expectTypeOf(change.status).toEqualTypeOf<AccountStatus>())
    cn.on('error', (error) => expectTypeOf(error).toEqualTypeOf<CashNotifyError>())
  })

  it('refuses unknown events and wrong listeners', () => {
    // @ts-expect-error: no such event
    cn.on('sael', () => {})
    // @ts-expect-error: a gap is not a Stripe event
    cn.on('gap', (gap: Stripe.Event) => gap)
    // @ts-expect-error: errors are CashNotifyErrors, not strings
    cn.on('error', (error: string) => error)
  })
})

describe('keys and permissions', () => {
  it('types kinds, modes and permission names as literal unions', () => {
    const key = parseKey('rk_test_4eC39HqLyjWDarjtT1zdp7dc')
    expectTypeOf(key.mode).toEqualTypeOf<'live' | 'test'>()
    expectTypeOf(key.kind).toEqualTypeOf<'secret' | 'restricted' | 'publishable'>()
    expectTypeOf<'rak_event_read'>().toMatchTypeOf<PermissionName>()
    // @ts-expect-error: not a permission CashNotify knows
    const wrong: PermissionName = 'rak_everything_write'
    void wrong
    // @ts-expect-error: modes are live or test
    restrictedKeyUrl({ mode: 'production' })
  })
})

describe('the notifier contract', () => {
  it('is a plain object from a typed factory', () => {
    const factory: NotifierFactory<{ url: string }> = (options) => ({
      name: 'mine',
      send: async (notification) => void `${options.url}${notification.id}`,
    })
    expectTypeOf(factory({ url: 'x' })).toEqualTypeOf<Notifier>()
    // @ts-expect-error: the options are typed
    factory({ uri: 'x' })
    // @ts-expect-error: send must return a promise
    const sync: Notifier = { name: 'sync', send: () => undefined }
    void sync
  })
})
