import { ConfigError } from '@cashnotify/core'
import { describe, expect, it } from 'vitest'
import { NAME, type WebhookNotifierOptions, webhookNotifier } from '../src/index.js'

const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'

describe('webhookNotifier options', () => {
  it('returns a notifier named `webhook` for a valid url and secret', () => {
    const notifier = webhookNotifier({ url: 'https://example.com/hooks/cashnotify', secret: SECRET })
    expect(NAME).toBe('webhook')
    expect(notifier.name).toBe('webhook')
  })

  it('accepts a plain http url and no secret', () => {
    expect(webhookNotifier({ url: 'http://127.0.0.1:8080/hook' }).name).toBe('webhook')
  })

  it('names the missing `url`', () => {
    const call = () => webhookNotifier({} as WebhookNotifierOptions)
    expect(call).toThrow(ConfigError)
    expect(call).toThrow('[cashnotify] [webhook] Missing required option `url`.')
  })

  it('refuses a url that is not http(s), without echoing it', () => {
    const call = () => webhookNotifier({ url: 'ftp://user:hunter2@example.com/' })
    expect(call).toThrow('[cashnotify] [webhook] Expected `url` to use http: or https:, got `ftp:`.')
    expect(call).not.toThrow(/hunter2/)
  })

  it('refuses a relative url', () => {
    expect(() => webhookNotifier({ url: '/hooks/cashnotify' })).toThrow(
      /Expected `url` to be an absolute http\(s\) URL/,
    )
  })

  it('refuses a secret without the `whsec_` prefix, without echoing it', () => {
    const call = () =>
      webhookNotifier({ url: 'https://example.com/hook', secret: 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' })
    expect(call).toThrow(ConfigError)
    expect(call).toThrow(/Expected `secret` to be a Standard Webhooks secret \(`whsec_` followed by base64\)/)
    expect(call).not.toThrow(/MfKQ9r8G/)
  })

  it('carries the `config_invalid` code', () => {
    try {
      webhookNotifier({ url: '' })
      expect.unreachable()
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as ConfigError).code).toBe('config_invalid')
    }
  })

  it('says plainly that sending is not implemented in the skeleton', async () => {
    const notifier = webhookNotifier({ url: 'https://example.com/hook' })
    const context = { signal: new AbortController().signal, attempt: 1 }
    await expect(notifier.send({} as Parameters<typeof notifier.send>[0], context)).rejects.toThrow(
      /\[webhook\] Sending is not implemented in this skeleton yet/,
    )
  })
})
