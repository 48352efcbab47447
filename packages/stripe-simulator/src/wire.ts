import type Stripe from 'stripe'

/**
 * A Stripe type as it travels over the wire. stripe-node types decimal fields (`unit_amount_decimal`...)
 * as `Stripe.Decimal` because the SDK parses them on arrival; in the JSON body they are strings.
 */
export type Wire<T> = T extends Stripe.Decimal
  ? string
  : T extends string // before `object`: stripe-node's open enums are `string & Record<never, never>`
    ? T
    : T extends readonly (infer U)[]
      ? Wire<U>[]
      : T extends object
        ? { [K in keyof T]: Wire<T[K]> }
        : T
