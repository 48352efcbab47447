export type { Notification, Notifier } from '../delivery/notifier.js'
export type { DomainEvent, DomainEvents, DomainEventType, EventAccount } from '../enrich/domain-events.js'
export { DOMAIN_EVENT_TYPES, sampleAccount, sampleEvent, sampleNotification } from './fixtures.js'
export { type NotifierHarness, type NotifierSuiteOptions, notifierTestSuite } from './suite.js'
