import { describe, expectTypeOf, it } from 'vitest'
import type {
  CashNotify,
  HeldNotifications,
  Notification,
  NotificationMark,
  NotificationRules,
} from '../src/index.js'

describe('rules types', () => {
  it('takes rules as plain data, and refuses what is not one', () => {
    expectTypeOf<{
      quietHours: { from: '22:00'; to: '08:00' }
      groupWithinSeconds: 30
    }>().toExtend<NotificationRules>()
    expectTypeOf<{ largeSale: { usd: 50_000 } }>().not.toExtend<NotificationRules>()
    expectTypeOf<{ firstSaleOfDay: 'yes' }>().not.toExtend<NotificationRules>()
  })

  it('gives notifiers marks and members, and cn.held() what is held', () => {
    expectTypeOf<Notification['marks']>().toEqualTypeOf<readonly NotificationMark[] | undefined>()
    expectTypeOf<Notification['group']>().toEqualTypeOf<readonly Notification[] | undefined>()
    expectTypeOf<ReturnType<CashNotify['held']>>().toEqualTypeOf<Promise<HeldNotifications[]>>()
    expectTypeOf<
      Extract<NotificationMark, { type: 'milestone' }>['amount']['formatted']
    >().toEqualTypeOf<string>()
  })
})
