import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'
import { DEFAULTS } from '../src/shared/defaults.js'

/** The `@default` of every documented property of an interface, as written in its JSDoc. */
function documentedDefaults(file: string, name: string): Map<string, string> {
  const path = fileURLToPath(new URL(`../src/${file}`, import.meta.url))
  const source = ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true)
  const found = new Map<string, string>()
  const visit = (node: ts.Node): void => {
    if (ts.isInterfaceDeclaration(node) && node.name.text === name) {
      for (const member of node.members) {
        const tag = ts.getJSDocTags(member).find((t) => t.tagName.text === 'default')
        const comment = typeof tag?.comment === 'string' ? tag.comment : undefined
        if (member.name && comment) found.set(member.name.getText(source), comment.trim())
      }
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  if (found.size === 0) throw new Error(`no documented defaults in ${name} of ${file}`)
  return found
}

/** The value a `@default` names when it is a literal (`5000`, `'en-US'`, `false`), else the text. */
function literal(text: string): unknown {
  const first = text.split(/\s/)[0] ?? ''
  if (/^-?\d+$/.test(first)) return Number(first)
  if (first === 'true' || first === 'false') return first === 'true'
  if (/^'[^']*'$/.test(first)) return first.slice(1, -1)
  return text
}

describe('defaults', () => {
  it.each([
    ['instance/options.ts', 'CashNotifyOptions', DEFAULTS],
    ['stripe/request-budget.ts', 'RequestBudgetOptions', DEFAULTS.budget],
    ['stripe/retry.ts', 'RetryOptions', DEFAULTS.retry],
    ['stripe/connection.ts', 'StripeConnectionOptions', DEFAULTS.stripe],
    ['enrich/lookup-types.ts', 'LookupCacheOptions', DEFAULTS.cache],
    ['delivery/types.ts', 'NotifierOptions', DEFAULTS.notifier],
    ['delivery/types.ts', 'DeliveryRetryOptions', DEFAULTS.notifier],
  ])('documents in %s (%s) the values the code uses', (file, name, values) => {
    const documented = documentedDefaults(file, name)
    // Object-valued options document their defaults on their own fields (checked by the rows below).
    const scalar = (key: string): boolean => typeof (values as Record<string, unknown>)[key] !== 'object'
    const checked = [...documented].filter(([key]) => Object.hasOwn(values, key) && scalar(key))
    expect(checked.length).toBeGreaterThan(0)
    for (const [key, text] of checked) {
      expect({ [key]: literal(text) }).toEqual({ [key]: (values as Record<string, unknown>)[key] })
    }
  })

  it('documents every scalar default of the instance options', () => {
    const documented = documentedDefaults('instance/options.ts', 'CashNotifyOptions')
    const scalars = Object.entries(DEFAULTS).filter(([, value]) => typeof value !== 'object')
    expect(scalars.map(([key]) => key).filter((key) => !documented.has(key))).toEqual([])
  })
})
