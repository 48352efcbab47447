import { hasId, objectKindsOf } from './event-kinds.js'
import { existsAt } from './render/changes.js'
import { isApiVersion, type Json, record } from './render/versions.js'

const EVENT_ID = /^evt_[A-Za-z0-9]+$/

/**
 * Refuses an event Stripe would never send, before it is stored: without an `evt_` id, with a
 * `data.object` that is not an object of the kind its type names (a `charge.succeeded` carrying an
 * invoice), with a `livemode` other than the mode's data it is stored under (or than its object's), or
 * of a type that does not exist at its `api_version` (`invoice_payment.paid` before 2025-03-31.basil).
 * Every way an event gets in (`sim.createEvent`, scenarios, `store.add` of an `event`) goes through here.
 */
export function checkEvent(event: Json, livemode: boolean): void {
  const id = event.id
  if (typeof id !== 'string' || !EVENT_ID.test(id)) {
    refuse(`Expected an event id like 'evt_1AbC...', got ${describe(id)}.`)
  }
  const type = event.type
  if (typeof type !== 'string' || type === '') refuse(`Expected a non-empty event \`type\` (event ${id}).`)
  const version = event.api_version
  if (typeof version !== 'string' || !isApiVersion(version)) {
    refuse(`Expected \`api_version\` like '2025-03-31.basil' on event ${id}, got ${describe(version)}.`)
  }
  if (!existsAt(type, version)) refuse(`Stripe has no \`${type}\` events at API version ${version}.`)
  if (!Number.isInteger(event.created)) {
    refuse(`Expected \`created\` in whole Unix seconds on event ${id}, got ${describe(event.created)}.`)
  }
  if (event.livemode !== livemode) {
    refuse(
      `Event ${id} says livemode: ${describe(event.livemode)} but would be stored with the ${livemode ? 'live' : 'test'}-mode data.`,
    )
  }
  checkObject(id, type, record(record(event.data)?.object), livemode)
}

function checkObject(id: string, type: string, object: Json | undefined, livemode: boolean): void {
  const kinds = objectKindsOf(type)
  const expected = kinds.map((kind) => `'${kind}'`).join(' or ')
  if (object === undefined)
    refuse(`Event ${id} (${type}) needs \`data.object\`: an object of kind ${expected}.`)
  if (typeof object.object !== 'string' || !kinds.includes(object.object)) {
    refuse(
      `A \`${type}\` event carries an object of kind ${expected} in \`data.object\`, got ${describe(object.object)} (event ${id}).`,
    )
  }
  if (hasId(object.object) && (typeof object.id !== 'string' || object.id === '')) {
    refuse(`The ${object.object} in event ${id} (${type}) has no \`id\`.`)
  }
  if (object.livemode !== undefined && object.livemode !== livemode) {
    refuse(
      `Event ${id} is ${livemode ? 'live' : 'test'} mode, but its ${object.object} says livemode: ${describe(object.livemode)}.`,
    )
  }
}

function refuse(message: string): never {
  throw new TypeError(`[stripe-simulator] Refused event: ${message}`)
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value)
}
