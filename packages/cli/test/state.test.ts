import { existsSync, realpathSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ConfigError } from '@cashnotify/core'
import { Keyv } from 'keyv'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { lockState } from '../src/store/lock.js'
import { defaultStatePath, openState } from '../src/store/open-state.js'
import { SqliteStore } from '../src/store/sqlite-store.js'
import { tempDir } from './support/harness.js'

let dir: ReturnType<typeof tempDir>
beforeEach(() => {
  dir = tempDir()
})
afterEach(() => dir.remove())

describe('SqliteStore, a Keyv store over one SQLite file', () => {
  it('keeps values across a reopen of the file', async () => {
    const file = join(dir.path, 'state.sqlite')
    const first = new Keyv({ store: new SqliteStore(file) })
    await first.set('cursor', { v: 1, polledAt: 1_750_000_000_000, seen: [['evt_1', 1_750_000_000]] })
    await first.set('gone', 'soon')
    expect(await first.delete('gone')).toBe(true)
    await first.disconnect()
    const second = new Keyv({ store: new SqliteStore(file) })
    expect(await second.get('cursor')).toEqual({
      v: 1,
      polledAt: 1_750_000_000_000,
      seen: [['evt_1', 1_750_000_000]],
    })
    expect(await second.get('gone')).toBeUndefined()
    await second.disconnect()
  })

  it('expires values by their time to live, and deletes expired rows when the file is opened', async () => {
    let now = 1_000_000
    const file = join(dir.path, 'ttl.sqlite')
    const store = new SqliteStore(file, { now: () => now })
    await store.set('marker', '"x"', 1000)
    await store.set('forever', '"y"')
    expect(await store.get('marker')).toBe('"x"')
    now += 1001
    expect(await store.get('marker')).toBeUndefined()
    await store.set('other', '"z"', 10)
    await store.disconnect()
    now += 20
    const reopened = new SqliteStore(file, { now: () => now })
    expect(await reopened.has('other')).toBe(false)
    expect(await reopened.getMany(['forever', 'nothing'])).toEqual(['"y"', undefined])
    await reopened.disconnect()
  })

  it('clears only its own namespace', async () => {
    const store = new SqliteStore(':memory:')
    const a = new Keyv({ store, namespace: 'a_%' })
    await a.set('one', 1)
    store.namespace = undefined
    await store.set('b:two', '2')
    store.namespace = 'a_%'
    await a.clear()
    expect(await a.get('one')).toBeUndefined()
    expect(await store.get('b:two')).toBe('2')
    expect(await store.deleteMany(['b:two', 'none'])).toBe(true)
  })
})

describe('the state file', () => {
  it('is created readable by its owner only, in a directory of its own', async () => {
    const file = join(dir.path, 'nested', 'deeper', 'state.sqlite')
    const state = openState(file, { lock: true })
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir.path, 'nested')).mode & 0o777).toBe(0o700)
    expect(statSync(join(dir.path, 'nested', 'deeper')).mode & 0o777).toBe(0o700)
    await state.store.set('k', 'v')
    await state.close()
  })

  it('refuses a second lock while the first is held, and is free again once it is released', () => {
    const file = join(dir.path, 'state.sqlite')
    const held = lockState(file)
    expect(() => lockState(file)).toThrow(ConfigError)
    expect(() => lockState(file)).toThrow(
      `Another cashnotify process is using the state file ${file} (it holds ${file}.lock).`,
    )
    held.release()
    lockState(file).release()
  })

  it('is locked under its real name: a symbolic link to a locked state file is refused', async () => {
    const file = join(dir.path, 'state.sqlite')
    symlinkSync(file, join(dir.path, 'link.sqlite'))
    const state = openState(file, { lock: true })
    expect(() => openState(join(dir.path, 'link.sqlite'), { lock: true })).toThrow(
      'Another cashnotify process is using the state file',
    )
    await state.close()
    const through = openState(join(dir.path, 'link.sqlite'), { lock: true })
    expect(through.path).toBe(realpathSync(file))
    await through.close()
  })

  it('cannot be blocked by a stale pid-style lock file, even one naming a live process', () => {
    const file = join(dir.path, 'state.sqlite')
    for (const pid of [process.pid, 1, 2147483646]) {
      writeFileSync(`${file}.lock`, `${pid}\n`)
      lockState(file).release()
    }
  })

  it('refuses a state path that is a directory, saying what to give instead', () => {
    expect(() => openState(dir.path, { lock: true })).toThrow(
      `is a directory. Give the path of a file, e.g. ${join(dir.path, 'state.sqlite')}.`,
    )
  })

  it('refuses a file that is not a SQLite database, rather than saying "file is not a database"', () => {
    const file = join(dir.path, 'notes.txt')
    writeFileSync(file, 'my notes, not a database\n'.repeat(40))
    expect(() => openState(file, { lock: false })).toThrow(`${file} is not a SQLite database`)
  })

  it('is not created by a command that only reads it', () => {
    const file = join(dir.path, 'never.sqlite')
    expect(() => openState(file, { lock: false, create: false })).toThrow(`There is no state file at ${file}`)
    expect(existsSync(file)).toBe(false)
  })

  it('lives in $STATE_DIRECTORY under systemd, else in ~/.cashnotify', () => {
    expect(defaultStatePath({ STATE_DIRECTORY: '/var/lib/cashnotify' })).toBe(
      '/var/lib/cashnotify/state.sqlite',
    )
    expect(defaultStatePath({})).toMatch(/\/\.cashnotify\/state\.sqlite$/)
  })
})
