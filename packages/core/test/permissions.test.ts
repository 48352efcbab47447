import { describe, expect, it } from 'vitest'
import { isPermissionName } from '../src/accounts/permissions.js'
import { OPTIONAL_PERMISSIONS, PERMISSIONS, REQUIRED_PERMISSIONS, restrictedKeyUrl } from '../src/index.js'

describe('the permission catalogue', () => {
  it('holds the seven required permissions of the help article and the two optional ones', () => {
    expect(REQUIRED_PERMISSIONS).toEqual([
      'rak_balance_read',
      'rak_event_read',
      'rak_invoice_read',
      'rak_payout_read',
      'rak_subscription_read',
      'rak_customer_read',
      'rak_product_read',
    ])
    expect(OPTIONAL_PERMISSIONS).toEqual([
      'rak_connected_account_read',
      'rak_checkout_session_read',
      'rak_file_write',
    ])
  })

  it('gives each a purpose, a degraded feature, and a read-only probe (file write has none)', () => {
    for (const [name, info] of Object.entries(PERMISSIONS)) {
      expect(info.purpose.length, name).toBeGreaterThan(10)
      expect(info.withoutIt.length, name).toBeGreaterThan(10)
      if (name === 'rak_file_write') expect(info.probe).toBeNull()
      else expect(info.probe, name).toMatch(/^\/v1\//)
    }
  })

  it('knows its own names only', () => {
    expect(isPermissionName('rak_event_read')).toBe(true)
    expect(isPermissionName('rak_charge_read')).toBe(false)
    expect(isPermissionName('toString')).toBe(false)
  })
})

describe('restrictedKeyUrl', () => {
  it('pre-fills a live key with exactly the required permissions', () => {
    const url = new URL(restrictedKeyUrl())
    expect(url.origin + url.pathname).toBe('https://dashboard.stripe.com/apikeys/create')
    expect(url.searchParams.get('name')).toBe('CashNotify')
    expect(url.searchParams.getAll('permissions[]')).toEqual([...REQUIRED_PERMISSIONS])
  })

  it('uses the test-mode path, a custom name and optionally the optional permissions', () => {
    const url = new URL(restrictedKeyUrl({ mode: 'test', name: 'My shop & co', includeOptional: true }))
    expect(url.pathname).toBe('/test/apikeys/create')
    expect(url.searchParams.get('name')).toBe('My shop & co')
    expect(url.searchParams.getAll('permissions[]')).toEqual([
      ...REQUIRED_PERMISSIONS,
      ...OPTIONAL_PERMISSIONS,
    ])
  })
})
