import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const src = (pkg: string, file = 'index.ts'): string =>
  fileURLToPath(new URL(`./packages/${pkg}/src/${file}`, import.meta.url))

/** Tests run against the TypeScript sources; the packaging check covers the built output. */
const alias = [
  { find: /^@cashnotify\/core$/, replacement: src('core') },
  { find: /^@cashnotify\/core\/notifier$/, replacement: src('core', 'notifier.ts') },
  { find: /^@cashnotify\/core\/testing$/, replacement: src('core', 'testing/index.ts') },
  { find: /^@cashnotify\/stripe-simulator$/, replacement: src('stripe-simulator') },
  { find: /^@cashnotify\/stripe-simulator\/msw$/, replacement: src('stripe-simulator', 'msw.ts') },
  { find: /^@cashnotify\/notifier-desktop$/, replacement: src('notifier-desktop') },
  { find: /^@cashnotify\/notifier-webhook$/, replacement: src('notifier-webhook') },
  { find: /^@cashnotify\/notifier-email$/, replacement: src('notifier-email') },
  { find: /^@cashnotify\/redis$/, replacement: src('redis') },
  { find: /^@cashnotify\/redis\/testing$/, replacement: src('redis', 'testing/index.ts') },
  { find: /^@cashnotify\/charts$/, replacement: src('charts') },
]

const project = (name: string, dir: string) => ({
  extends: true as const,
  test: {
    name,
    root: dir,
    include: ['test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'], tsconfig: '../../tsconfig.json' },
  },
})

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      project('core', 'packages/core'),
      project('stripe-simulator', 'packages/stripe-simulator'),
      project('notifier-desktop', 'packages/notifier-desktop'),
      project('notifier-webhook', 'packages/notifier-webhook'),
      project('notifier-email', 'packages/notifier-email'),
      project('redis', 'packages/redis'),
      project('charts', 'packages/charts'),
      project('cli', 'packages/cli'),
      project('live-feed', 'examples/live-feed'),
      project('custom-notifier', 'examples/custom-notifier'),
    ],
  },
})
