import type { DomainEvent, DomainEvents, DomainEventType, EventAccount } from '../enrich/domain-events.js'

export { DOMAIN_EVENT_TYPES } from '../enrich/domain-events.js'

import { genericLogo } from '../accounts/logo.js'
import { toNotification } from '../delivery/notification.js'
import type { Notification } from '../delivery/notifier.js'
import { formatNotification } from '../delivery/text/format.js'
import { money } from '../shared/money.js'

const CREATED = new Date('2026-11-02T12:00:00Z')

/** A test account, `Acme Inc` in test mode, with the generic logo. */
export function sampleAccount(overrides: Partial<EventAccount> = {}): EventAccount {
  return { id: 'acct_1SampleAcmeInc00', name: 'Acme Inc', mode: 'test', logo: genericLogo(), ...overrides }
}

function base<T extends DomainEventType>(type: T, objectId: string) {
  return {
    id: `${type}:${objectId}`,
    type,
    account: sampleAccount(),
    livemode: false,
    createdAt: CREATED,
    backfill: false,
    dashboardUrl: `https://dashboard.stripe.com/test/payments/${objectId}`,
    unavailable: {},
    stripeEvents: [],
  }
}

const customer = { id: 'cus_Sample01', email: 'jane@example.com', name: 'Jane Doe', country: 'US' }
const subscription = {
  id: 'sub_Sample01',
  status: 'active',
  interval: 'month' as const,
  intervalCount: 1,
  amount: money(4900, 'usd'),
}

type PaymentTypes =
  | 'sale'
  | 'sale.updated'
  | 'refund'
  | 'payment.failed'
  | 'dispute.created'
  | 'dispute.closed'
type Samples<K extends DomainEventType> = { [T in K]: DomainEvents[T] }

/** The samples of what happens to payments. */
function paymentSamples(): Samples<PaymentTypes> {
  const sale: DomainEvents['sale'] = {
    ...base('sale', 'pi_Sample01'),
    amount: money(4900, 'usd'),
    fee: money(172, 'usd'),
    net: money(4728, 'usd'),
    customer,
    products: [{ id: 'prod_Sample01', name: 'Pro plan', quantity: 1, amount: money(4900, 'usd') }],
    subscription,
    paymentIntentId: 'pi_Sample01',
    chargeId: 'ch_Sample01',
  }
  return {
    sale,
    'sale.updated': {
      ...sale,
      ...base('sale.updated', 'pi_Sample01'),
      saleId: sale.id,
      completed: ['fee'],
    },
    refund: {
      ...base('refund', 're_Sample01'),
      amount: money(1000, 'usd'),
      full: false,
      chargeAmount: money(4900, 'usd'),
      customer,
      chargeId: 'ch_Sample01',
      reason: 'requested_by_customer',
    },
    'payment.failed': {
      ...base('payment.failed', 'pi_Sample02'),
      amount: money(4900, 'usd'),
      declineCode: 'insufficient_funds',
      reason: 'Your card has insufficient funds.',
      customer,
      subscription: { ...subscription, status: 'past_due' },
    },
    'dispute.created': {
      ...base('dispute.created', 'dp_Sample01'),
      amount: money(4900, 'usd'),
      reason: 'fraudulent',
      evidenceDueBy: new Date('2026-11-20T00:00:00Z'),
      chargeId: 'ch_Sample01',
    },
    'dispute.closed': {
      ...base('dispute.closed', 'dp_Sample01'),
      amount: money(4900, 'usd'),
      outcome: 'won',
    },
  }
}

/** The samples of subscriptions and payouts. */
function lifecycleSamples(): Samples<Exclude<DomainEventType, PaymentTypes>> {
  return {
    'subscription.created': {
      ...base('subscription.created', 'sub_Sample01'),
      subscription,
      customer,
      products: [{ id: 'prod_Sample01', name: 'Pro plan', quantity: 1 }],
    },
    'subscription.canceled': {
      ...base('subscription.canceled', 'sub_Sample01'),
      subscription: { ...subscription, status: 'canceled' },
      customer,
      scheduled: false,
      endsAt: CREATED,
    },
    'subscription.trial_will_end': {
      ...base('subscription.trial_will_end', 'sub_Sample01'),
      subscription: { ...subscription, status: 'trialing' },
      customer,
      trialEnd: new Date('2026-11-05T12:00:00Z'),
    },
    'payout.paid': {
      ...base('payout.paid', 'po_Sample01'),
      amount: money(120_000, 'usd'),
      arrivalDate: new Date('2026-11-04T00:00:00Z'),
      payoutId: 'po_Sample01',
    },
    'payout.failed': {
      ...base('payout.failed', 'po_Sample02'),
      amount: money(120_000, 'usd'),
      payoutId: 'po_Sample02',
      failureCode: 'account_closed',
      failureMessage: 'The bank account has been closed.',
    },
  }
}

/** One realistic domain event of each type, for notifier tests and docs. */
export function sampleEvent<T extends DomainEventType>(type: T): DomainEvents[T] {
  const samples: Samples<DomainEventType> = { ...paymentSamples(), ...lifecycleSamples() }
  return samples[type]
}

/** The notification delivery would make of a sample event, with the default text; override anything. */
export function sampleNotification(
  event: DomainEvent = sampleEvent('sale'),
  overrides: Partial<Notification> = {},
): Notification {
  return { ...toNotification(event, formatNotification(event)), ...overrides }
}
