export { DOMAIN_EVENT_TYPES, sampleAccount, sampleEvent, sampleNotification } from './fixtures.js'
export { type NotifierHarness, type NotifierSuiteOptions, notifierTestSuite } from './suite.js'
