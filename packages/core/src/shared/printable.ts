/**
 * Text that came from outside (a buyer's name, a product's description, a Stripe account's name) can
 * hold terminal escapes, carriage returns or bidirectional overrides: a `\r` can visually forge a whole
 * line in a terminal, an ESC sequence can recolour or clear it. Every text CashNotify writes for people
 * (notification titles and bodies, log lines) passes through {@link printable} first; JSON escapes them
 * by itself.
 */

// C0 controls and DEL; C1 controls; the bidirectional overrides and isolates; line and paragraph separators.
const UNSAFE = /[\p{Cc}\u202a-\u202e\u2066-\u2069\u2028\u2029]/gu

/**
 * The text with every control character made visible and harmless: C0 controls as their Unicode
 * control pictures (`\r` → `␍`, ESC → `␛`), DEL as `␡`, C1 controls and bidirectional overrides as `�`.
 *
 * @example
 * ```ts
 * printable('Jane\r$99,999.00 sale') // 'Jane␍$99,999.00 sale'
 * ```
 */
export function printable(text: string): string {
  return text.replace(UNSAFE, (char) => {
    const code = char.charCodeAt(0)
    if (code < 0x20) return String.fromCharCode(0x2400 + code)
    if (code === 0x7f) return '\u2421'
    return '\ufffd'
  })
}
