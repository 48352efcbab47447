import type Stripe from 'stripe'

/** Decline codes a failed payment can carry (Stripe's test cards produce these). */
export type DeclineCode =
  | 'generic_decline'
  | 'insufficient_funds'
  | 'lost_card'
  | 'stolen_card'
  | 'expired_card'
  | 'incorrect_cvc'
  | 'processing_error'
  | 'do_not_honor'
  | 'fraudulent'
  | 'card_velocity_exceeded'

/** The card a payment is made with. Every field has a realistic default. */
export interface CardInput {
  /** @default 'visa' */
  brand?: 'visa' | 'mastercard' | 'amex' | 'discover' | 'jcb' | 'unionpay'
  /** Issuing country (`payment_method_details.card.country`). @default the customer's country */
  country?: string
  /** @default '4242' */
  last4?: string
  /** @default 'credit' */
  funding?: 'credit' | 'debit' | 'prepaid'
}

/** How Stripe reports a decline: `failure_code`, `decline_code` and the customer-facing message. */
export interface Decline {
  readonly code: string
  readonly declineCode: string
  readonly message: string
}

const DECLINED = 'Your card was declined.'

/** Stripe's error code and message for each decline code. */
export const DECLINES: Readonly<Record<DeclineCode, Decline>> = {
  generic_decline: { code: 'card_declined', declineCode: 'generic_decline', message: DECLINED },
  insufficient_funds: {
    code: 'card_declined',
    declineCode: 'insufficient_funds',
    message: 'Your card has insufficient funds.',
  },
  lost_card: { code: 'card_declined', declineCode: 'lost_card', message: DECLINED },
  stolen_card: { code: 'card_declined', declineCode: 'stolen_card', message: DECLINED },
  expired_card: { code: 'expired_card', declineCode: 'expired_card', message: 'Your card has expired.' },
  incorrect_cvc: {
    code: 'incorrect_cvc',
    declineCode: 'incorrect_cvc',
    message: "Your card's security code is incorrect.",
  },
  processing_error: {
    code: 'processing_error',
    declineCode: 'processing_error',
    message: 'An error occurred while processing your card. Try again in a little bit.',
  },
  do_not_honor: { code: 'card_declined', declineCode: 'do_not_honor', message: DECLINED },
  fraudulent: { code: 'card_declined', declineCode: 'fraudulent', message: DECLINED },
  card_velocity_exceeded: {
    code: 'card_declined',
    declineCode: 'card_velocity_exceeded',
    message:
      'Your card was declined for making repeated attempts too frequently or exceeding its amount limit.',
  },
}

/** The `outcome` of a declined charge. */
export function declinedOutcome(decline: Decline): Stripe.Charge.Outcome {
  const generic = decline.declineCode === 'generic_decline'
  return {
    advice_code: decline.declineCode === 'insufficient_funds' ? 'try_again_later' : 'do_not_try_again',
    network_advice_code: null,
    network_decline_code: null,
    network_status: 'declined_by_network',
    reason: decline.declineCode,
    risk_level: 'normal',
    seller_message: generic
      ? 'The bank did not return any further details with this decline.'
      : `The bank returned the decline code \`${decline.declineCode}\`.`,
    type: 'issuer_declined',
  }
}

/** Network name of a card brand. */
export function networkOf(brand: NonNullable<CardInput['brand']>): string {
  return brand === 'amex' ? 'amex' : brand
}
