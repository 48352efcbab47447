import type { Notifier } from '@cashnotify/core/notifier'
import { describe, expectTypeOf, it } from 'vitest'
import { type WebhookFormat, type WebhookNotifierOptions, webhookNotifier } from '../src/index.js'

const url = 'https://example.com/hooks/cashnotify'

describe('webhookNotifier options', () => {
  it('takes the options and returns a Notifier', () => {
    expectTypeOf(webhookNotifier).parameter(0).toEqualTypeOf<WebhookNotifierOptions>()
    expectTypeOf(webhookNotifier).returns.toEqualTypeOf<Notifier>()
    expectTypeOf<WebhookFormat>().toEqualTypeOf<'json' | 'slack' | 'discord'>()
    expectTypeOf<WebhookNotifierOptions['secret']>().toEqualTypeOf<string | readonly string[] | undefined>()
    webhookNotifier({
      url,
      secret: ['whsec_a', 'whsec_b'] as const,
      format: 'slack',
      headers: { 'x-team': 'a' },
    })
  })

  it('refuses misuse', () => {
    // @ts-expect-error: `url` is required
    webhookNotifier({})
    // @ts-expect-error: the options are required
    webhookNotifier()
    // @ts-expect-error: no such format
    webhookNotifier({ url, format: 'xml' })
    // @ts-expect-error: a secret is a string or strings
    webhookNotifier({ url, secret: 42 })
    // @ts-expect-error: timeoutMs is a number of ms
    webhookNotifier({ url, timeoutMs: '10s' })
    // @ts-expect-error: header values are strings
    webhookNotifier({ url, headers: { 'x-count': 1 } })
    // @ts-expect-error: a typo is not an option
    webhookNotifier({ url, secrets: ['whsec_a'] })
    // @ts-expect-error: fetch is a fetch function
    webhookNotifier({ url, fetch: 'undici' })
    // @ts-expect-error: the clock returns ms since epoch
    webhookNotifier({ url, now: () => new Date() })
  })
})
