import { atLeast, type Json, listOf, type RenderSource, record } from './versions.js'

/**
 * A field Stripe leaves out unless `expand[]` names it ("includable"), or includes by itself at
 * versions older than `autoBefore`. Events never carry includable fields (except auto-included ones).
 */
interface Includable {
  readonly kind: string
  readonly field: string
  /** First version where the field exists at all (asking for it earlier answers 400). */
  readonly since?: string
  /** Versions older than this include the field without being asked. */
  readonly autoBefore?: string
  /** The list the field holds. */
  readonly build: (object: Json, source: RenderSource) => Json
}

const INCLUDABLE: readonly Includable[] = [
  {
    // 2025-03-31.basil: invoices can have several (partial) payments, listed in `payments`.
    kind: 'invoice',
    field: 'payments',
    since: '2025-03-31',
    build: (invoice, source) =>
      listOf(
        source.list('invoice_payment').filter((payment) => payment.invoice === invoice.id),
        `/v1/invoice_payments?invoice=${String(invoice.id)}`,
      ),
  },
  {
    // 2022-11-15: "The Charges object no longer auto-expands refunds by default."
    kind: 'charge',
    field: 'refunds',
    autoBefore: '2022-11-15',
    build: (charge, source) =>
      listOf(
        source.list('refund').filter((refund) => refund.charge === charge.id),
        `/v1/charges/${String(charge.id)}/refunds`,
      ),
  },
  {
    // Checkout Sessions keep their line items; the object shows them only when asked.
    kind: 'checkout.session',
    field: 'line_items',
    build: (session) => {
      const stored = record(session.line_items)
      const items = Array.isArray(stored?.data) ? (stored.data as Json[]) : []
      return listOf(items, `/v1/checkout/sessions/${String(session.id)}/line_items`)
    },
  },
]

/** The includable field of a kind, if `field` is one. */
export function includable(kind: string, field: string): Includable | undefined {
  return INCLUDABLE.find((spec) => spec.kind === kind && spec.field === field)
}

/** Whether an includable field exists at a version. */
export function includableAt(spec: Includable, version: string): boolean {
  return spec.since === undefined || atLeast(version, spec.since)
}

/** Adds the includable fields asked for (or auto-included at this version) and removes the others. */
export function applyIncludables(
  object: Json,
  kind: string,
  version: string,
  source: RenderSource,
  include: readonly string[],
): void {
  for (const spec of INCLUDABLE) {
    if (spec.kind !== kind) continue
    const auto = spec.autoBefore !== undefined && !atLeast(version, spec.autoBefore)
    if ((auto || include.includes(spec.field)) && includableAt(spec, version)) {
      object[spec.field] = spec.build(object, source)
    } else {
      delete object[spec.field]
    }
  }
}
