export { SERVICE_RETRY_AFTER_MS } from './errors.js'
export { checkDesktopNotifier, desktopNotifier } from './notifier.js'
export {
  type DesktopNotifierOptions,
  type Environment,
  NAME,
  POWERSHELL_APP_ID,
  type Urgency,
} from './options.js'
export { ID_HINT } from './platform/linux.js'
export type { Spawn } from './run.js'
