import { type EnrichContext, lookupFailed, type Unavailable } from './context.js'
import type { ProductLine } from './domain-events.js'
import { str } from './fields.js'

/** What a line (invoice line, Checkout item, subscription item) says of its product. */
export interface LineParts {
  readonly productId: string | undefined
  /** The product's name when the line carries the product expanded. */
  readonly productName: string | undefined
  /** What to show when the product's name cannot be read (the line's own description). */
  readonly fallbackName?: string | undefined
  readonly quantity: number
  readonly amount: number | undefined
  readonly currency: string | undefined
}

/**
 * One {@link ProductLine}: the product's name from the line, else read (`rak_product_read`, cached),
 * else the fallback. A refused read is recorded in `unavailable` when one is given.
 */
export async function productLine(
  parts: LineParts,
  context: EnrichContext,
  unavailable?: Unavailable,
): Promise<ProductLine> {
  const { productId: id, quantity, amount, currency } = parts
  let name = parts.productName
  if (!name && id) {
    const product = await context.lookups.product(id)
    if (product.ok) name = str(product.value.name)
    else if (unavailable) lookupFailed(context, unavailable, 'productNames', product)
  }
  name ??= parts.fallbackName
  return {
    ...(id ? { id } : {}),
    ...(name ? { name } : {}),
    quantity,
    ...(amount !== undefined && currency ? { amount: context.money(amount, currency) } : {}),
  }
}
