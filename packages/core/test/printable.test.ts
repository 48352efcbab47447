import { describe, expect, it } from 'vitest'
import { notificationOf } from '../src/delivery/notification.js'
import { printable, redactingLogger } from '../src/index.js'
import { sampleEvent } from '../src/testing/index.js'

const CONTROL = /[\p{Cc}\u202a-\u202e\u2066-\u2069]/u

describe('buyer-entered text', () => {
  it('cannot forge a line in a terminal: control characters are made visible in titles and bodies', () => {
    const sale = sampleEvent('sale')
    const hostile = {
      ...sale,
      account: { ...sale.account, name: 'Acme\u001b[2J' },
      customer: { email: 'jane@example.com\r[test] $99,999.00 sale · Acme Inc', name: 'Jane\u202eenaJ' },
      products: [{ name: 'Mug\u0007\u009b', quantity: 1 }],
    }
    const notification = notificationOf(hostile, {}, () => {})
    expect(notification.title).not.toMatch(CONTROL)
    expect(notification.body).not.toMatch(CONTROL)
    expect(notification.body).toContain('jane@example.com␍[test] $99,999.00 sale')
    expect(notification.title).toContain('Acme␛[2J')
  })

  it('passes through a format hook too', () => {
    const notification = notificationOf(
      sampleEvent('refund'),
      { format: () => ({ title: 'line one\nline two', body: 'tab\there' }) },
      () => {},
    )
    expect(notification).toMatchObject({ title: 'line one␊line two', body: 'tab␉here' })
  })

  it('reaches log lines through the redacting logger', () => {
    const lines: string[] = []
    const sink = (message: string): void => void lines.push(message)
    redactingLogger({ debug: sink, info: sink, warn: sink, error: sink }).warn('Watching Evil\r\u001b[31mInc')
    expect(lines).toEqual(['Watching Evil␍␛[31mInc'])
  })

  it('leaves ordinary text alone, accents and emoji included', () => {
    expect(printable('Café Ünïcode · 💰 $49.00')).toBe('Café Ünïcode · 💰 $49.00')
  })
})
