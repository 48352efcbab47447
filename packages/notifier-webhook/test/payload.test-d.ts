import type { DomainEvents, DomainEventType } from '@cashnotify/core/notifier'
import { describe, expectTypeOf, it } from 'vitest'
import type { z } from 'zod'
import {
  type WEBHOOK_PAYLOAD_VERSION,
  type WebhookEventData,
  type WebhookPayload,
  webhookPayloadSchema,
} from '../src/index.js'

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false

/** The data of one event type. */
type DataOf<T extends DomainEventType> = Extract<WebhookEventData, { type: T }>
/** A value as JSON.stringify and the notifier write it: dates become ISO strings. */
type Json<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Json<U>[]
    : T extends object
      ? { [K in keyof T]: Json<T[K]> }
      : T

describe('WebhookPayload', () => {
  it('is the type the schema validates', () => {
    expectTypeOf<WebhookPayload>().toEqualTypeOf<z.infer<typeof webhookPayloadSchema>>()
    expectTypeOf<WebhookPayload>().toEqualTypeOf<z.output<typeof webhookPayloadSchema>>()
    expectTypeOf(webhookPayloadSchema.parse({})).toEqualTypeOf<WebhookPayload>()
    expectTypeOf<WebhookEventData>().toEqualTypeOf<WebhookPayload['data']>()
  })

  it('has the documented envelope', () => {
    expectTypeOf<WebhookPayload['version']>().toEqualTypeOf<typeof WEBHOOK_PAYLOAD_VERSION>()
    expectTypeOf<WebhookPayload['type']>().toEqualTypeOf<DomainEventType>()
    expectTypeOf<WebhookPayload['createdAt']>().toEqualTypeOf<string>()
    expectTypeOf<WebhookPayload['account']['mode']>().toEqualTypeOf<'live' | 'test'>()
    expectTypeOf<WebhookPayload['account']['logoUrl']>().toEqualTypeOf<string | undefined>()
    expectTypeOf<NonNullable<WebhookPayload['amount']>['amount']>().toEqualTypeOf<number>()
  })

  it('narrows `data` by `type`', () => {
    const payload = webhookPayloadSchema.parse({})
    if (payload.type === 'sale') {
      expectTypeOf(payload.data.type).toEqualTypeOf<'sale'>()
      expectTypeOf(payload.data.amount.formatted).toEqualTypeOf<string>()
      // @ts-expect-error: a sale has no outcome
      void payload.data.outcome
    }
    if (payload.type === 'dispute.created') {
      expectTypeOf(payload.data.evidenceDueBy).toEqualTypeOf<string | undefined>()
    }
  })

  it('has exactly the fields of each domain event, so the schema cannot drift from core', () => {
    type SameKeys = { [T in DomainEventType]: Equal<keyof DataOf<T>, keyof DomainEvents[T]> }
    expectTypeOf<SameKeys>().toEqualTypeOf<{ [T in DomainEventType]: true }>()
  })

  it('accepts each domain event as the notifier serialises it', () => {
    type Sent<T extends DomainEventType> = Omit<Json<DomainEvents[T]>, 'account' | 'stripeEvents'>
    type Schema<T extends DomainEventType> = Omit<DataOf<T>, 'account' | 'stripeEvents'>
    type Fits = { [T in DomainEventType]: Sent<T> extends Schema<T> ? true : false }
    expectTypeOf<Fits>().toEqualTypeOf<{ [T in DomainEventType]: true }>()
  })
})
