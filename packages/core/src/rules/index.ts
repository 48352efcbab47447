/**
 * The rules stage, between the emitter and delivery, per notifier — quiet hours, large sales, the first
 * sale of the day, milestones and grouped bursts — holding what they must in the store and releasing it
 * into delivery's outbox. Imports from every earlier stage, never from instance/.
 */
export { type RulesDelivery, RulesEngine, type RulesEngineOptions } from './engine.js'
export { type ActiveRules, activeRules, type CheckedRules, checkRules, rulesSchema } from './options.js'
export type {
  HeldNotifications,
  HoldReason,
  LargeSaleRule,
  NotificationRules,
  NotifierUseOptions,
  QuietHours,
} from './types.js'
