import { type EnrichContext, lookupFailed, type Unavailable } from './context.js'
import type { CustomerInfo } from './domain-events.js'
import { at, type Json, str } from './fields.js'

type Read = (source: Json) => unknown

const EMAIL: Read = (s) =>
  s.email ??
  at(s, 'billing_details', 'email') ??
  at(s, 'customer_details', 'email') ??
  s.customer_email ??
  s.receipt_email
const NAME: Read = (s) =>
  s.name ?? at(s, 'billing_details', 'name') ?? at(s, 'customer_details', 'name') ?? s.customer_name
/** Where the buyer says they are: an address, not the country that issued the card. */
const ADDRESS_COUNTRY: Read = (s) =>
  at(s, 'address', 'country') ??
  at(s, 'billing_details', 'address', 'country') ??
  at(s, 'customer_details', 'address', 'country') ??
  at(s, 'customer_address', 'country')
const CARD_COUNTRY: Read = (s) => at(s, 'payment_method_details', 'card', 'country')

/** The first of `sources` that has a value for `read`. */
function pick(sources: ReadonlyArray<Json | undefined>, read: Read): string | undefined {
  for (const source of sources) {
    const value = source ? str(read(source)) : undefined
    if (value) return value
  }
  return undefined
}

/**
 * The customer of a payment: what the payment itself carries (billing details, the invoice's customer
 * fields, Checkout's customer details), and the customer object only when the payment lacks the email,
 * name or address country a sale shows — a read a month's allocation cannot spare on every sale. The
 * card's country stands in for the address last.
 */
export async function resolveCustomer(
  customerId: string | undefined,
  sources: ReadonlyArray<Json | undefined>,
  context: EnrichContext,
  unavailable: Unavailable,
): Promise<CustomerInfo | undefined> {
  let fromStripe: Json | undefined
  const whole = [EMAIL, NAME, ADDRESS_COUNTRY].every((read) => pick(sources, read) !== undefined)
  if (customerId && !whole) {
    const result = await context.lookups.customer(customerId)
    if (result.ok) fromStripe = result.value
    else lookupFailed(context, unavailable, 'customer', result)
  }
  const all = [...sources, fromStripe]
  const email = pick(all, EMAIL)
  const name = pick(all, NAME)
  const country = pick(all, ADDRESS_COUNTRY) ?? pick(all, CARD_COUNTRY)
  if (!customerId && !email && !name && !country) return undefined
  return {
    ...(customerId ? { id: customerId } : {}),
    ...(email ? { email } : {}),
    ...(name ? { name } : {}),
    ...(country ? { country } : {}),
  }
}
