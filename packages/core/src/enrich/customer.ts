import { type EnrichContext, lookupFailed, type Unavailable } from './context.js'
import type { CustomerInfo } from './domain-events.js'
import { at, type Json, str } from './fields.js'

/**
 * The customer of a payment: the customer object when the key may read it, completed with what the
 * payment itself carries (billing details, Checkout's customer details, the card's country).
 */
export async function resolveCustomer(
  customerId: string | undefined,
  sources: ReadonlyArray<Json | undefined>,
  context: EnrichContext,
  unavailable: Unavailable,
): Promise<CustomerInfo | undefined> {
  let fromStripe: Json | undefined
  if (customerId) {
    const result = await context.lookups.customer(customerId)
    if (result.ok) fromStripe = result.value
    else lookupFailed(context, unavailable, 'customer', result)
  }
  const pick = (read: (source: Json) => unknown): string | undefined => {
    for (const source of [fromStripe, ...sources]) {
      const value = source ? str(read(source)) : undefined
      if (value) return value
    }
    return undefined
  }
  const email = pick(
    (s) =>
      s.email ??
      at(s, 'billing_details', 'email') ??
      at(s, 'customer_details', 'email') ??
      s.customer_email ??
      s.receipt_email,
  )
  const name = pick(
    (s) => s.name ?? at(s, 'billing_details', 'name') ?? at(s, 'customer_details', 'name') ?? s.customer_name,
  )
  const country = pick(
    (s) =>
      at(s, 'address', 'country') ??
      at(s, 'billing_details', 'address', 'country') ??
      at(s, 'customer_details', 'address', 'country') ??
      at(s, 'customer_address', 'country') ??
      at(s, 'payment_method_details', 'card', 'country'),
  )
  if (!customerId && !email && !name && !country) return undefined
  return {
    ...(customerId ? { id: customerId } : {}),
    ...(email ? { email } : {}),
    ...(name ? { name } : {}),
    ...(country ? { country } : {}),
  }
}
