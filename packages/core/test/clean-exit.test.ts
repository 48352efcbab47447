import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const script = fileURLToPath(new URL('./fixtures/run-and-stop.ts', import.meta.url))

describe('stop()', () => {
  it('leaves nothing open: a process that watched an account over HTTP exits by itself', async () => {
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        ['--import', 'tsx', script],
        { timeout: 20_000 },
        (error, out) => resolve({ code: error ? (error.code as number | null) : 0, stdout: out }),
      )
      child.stdin?.end()
    })
    expect(stdout).toContain('emitted 1')
    expect(code).toBe(0)
  }, 30_000)
})
