import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { NotifierError } from '@cashnotify/core/notifier'
import { sampleNotification } from '@cashnotify/core/testing'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { desktopNotifier, POWERSHELL_APP_ID } from '../src/index.js'
import {
  appleScriptString,
  OSASCRIPT,
  osascriptCommand,
  terminalNotifierCommand,
  terminalNotifierText,
} from '../src/platform/macos.js'
import type { DesktopMessage } from '../src/platform/types.js'
import { powershellString, toastScript, toastXml, windowsCommand, xml } from '../src/platform/windows.js'
import { fakeSpawn } from './support/spawn.js'

// macOS and Windows cannot run here: what is checked is which command runs with which arguments, and
// that no text of a notification can escape its quoting. The commands themselves are not run.

const message: DesktopMessage = {
  id: 'sale:pi_1',
  title: '$49.00 sale · Acme Inc',
  body: 'jane@example.com (US) · Pro plan',
  iconPath: '/tmp/icons/abc.png',
  url: 'https://dashboard.stripe.com/test/payments/pi_1',
}
const context = () => ({ signal: new AbortController().signal, attempt: 1 })
let dir: string

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cashnotify-desktop-platforms-'))
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('macOS: osascript', () => {
  it('displays the title and body, with a sound only when asked', () => {
    expect(osascriptCommand(message, { sound: false })).toEqual({
      command: '/usr/bin/osascript',
      args: ['-e', `display notification "${message.body}" with title "${message.title}"`],
    })
    expect(osascriptCommand(message, { sound: true }).args[1]).toMatch(/ sound name "Glass"$/)
    expect(osascriptCommand(message, { sound: 'Ping' }).args[1]).toMatch(/ sound name "Ping"$/)
  })

  it('escapes quotes, backslashes and line breaks, so text cannot end the string or add statements', () => {
    expect(appleScriptString('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"')
    expect(appleScriptString('one\ntwo\r\tthree\u0007')).toBe('"one\\ntwo\\r\\tthree"')
    const hostile = osascriptCommand(
      { ...message, title: '" & (do shell script "rm -rf ~") & "' },
      { sound: false },
    )
    expect(hostile.args[1]).toBe(
      `display notification "${message.body}" with title "\\" & (do shell script \\"rm -rf ~\\") & \\""`,
    )
  })
})

describe('macOS: terminal-notifier', () => {
  it('shows the logo, opens the URL on click, groups by id, plays the sound asked for', () => {
    expect(
      terminalNotifierCommand('/opt/homebrew/bin/terminal-notifier', message, {
        sound: true,
        openOnClick: true,
      }),
    ).toEqual({
      command: '/opt/homebrew/bin/terminal-notifier',
      args: [
        '-title',
        message.title,
        '-message',
        message.body,
        '-group',
        'sale:pi_1',
        '-contentImage',
        '/tmp/icons/abc.png',
        '-open',
        message.url,
        '-sound',
        'default',
      ],
    })
    const plain = terminalNotifierCommand(
      'tn',
      { ...message, iconPath: undefined },
      { sound: false, openOnClick: false },
    )
    expect(plain.args).toEqual(['-title', message.title, '-message', message.body, '-group', 'sale:pi_1'])
  })

  it('keeps a value starting with -, [ or ( as text', () => {
    expect(terminalNotifierText('-$5.00 refund')).toBe('\\-$5.00 refund')
    expect(terminalNotifierText('[test] sale')).toBe('\\[test] sale')
    expect(terminalNotifierText('$5.00 sale')).toBe('$5.00 sale')
  })

  it('is used when it is on PATH, else osascript', async () => {
    const bin = join(dir, 'bin')
    await mkdir(bin, { recursive: true })
    await writeFile(join(bin, 'terminal-notifier'), '#!/bin/sh\n')
    await chmod(join(bin, 'terminal-notifier'), 0o755)
    const withTool = fakeSpawn()
    await desktopNotifier({
      platform: 'darwin',
      env: { PATH: bin },
      spawn: withTool.spawn,
      cacheDir: join(dir, 'icons'),
    }).send(sampleNotification(), context())
    const without = fakeSpawn()
    await desktopNotifier({
      platform: 'darwin',
      env: { PATH: '' },
      spawn: without.spawn,
      cacheDir: join(dir, 'icons'),
    }).send(sampleNotification(), context())
    expect(withTool.calls[0]?.command).toBe(join(bin, 'terminal-notifier'))
    expect(withTool.calls[0]?.args).toContain('-contentImage')
    expect(without.calls[0]?.command).toBe(OSASCRIPT)
  })

  it('reports a failure with the tool’s own words and the permission hint', async () => {
    const { spawn } = fakeSpawn({ code: 1, stderr: 'execution error: Not authorised (-1743)\n' })
    const error = await desktopNotifier({
      platform: 'darwin',
      env: { PATH: '' },
      spawn,
      cacheDir: join(dir, 'icons'),
    })
      .send(sampleNotification(), context())
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(NotifierError)
    expect((error as Error).message).toBe(
      '[cashnotify] [desktop] osascript failed: execution error: Not authorised (-1743). ' +
        'If notifications never appear, allow them in System Settings › Notifications (for Script Editor).',
    )
  })
})

describe('Windows: a PowerShell toast', () => {
  const options = { appName: 'CashNotify', sound: false, openOnClick: true, windowsAppId: POWERSHELL_APP_ID }

  it('builds the toast: title, body, attribution, logo, silence, and a click that opens the URL', () => {
    expect(toastXml({ ...message, iconPath: 'C:\\Users\\Jane Doe\\icons\\abc.png' }, options)).toBe(
      `<toast activationType="protocol" launch="${message.url}"><visual><binding template="ToastGeneric">` +
        `<text>${message.title}</text><text>${message.body}</text>` +
        '<text placement="attribution">CashNotify</text>' +
        '<image placement="appLogoOverride" src="file:///C:/Users/Jane%20Doe/icons/abc.png"/>' +
        '</binding></visual><audio silent="true"/></toast>',
    )
    expect(toastXml(message, { ...options, sound: true })).toContain(
      '<audio src="ms-winsoundevent:Notification.Default"/>',
    )
    expect(toastXml(message, { ...options, sound: 'ms-winsoundevent:Notification.Mail' })).toContain(
      '<audio src="ms-winsoundevent:Notification.Mail"/>',
    )
    expect(toastXml(message, { ...options, openOnClick: false })).toMatch(/^<toast><visual>/)
  })

  it('escapes XML and PowerShell quotes, typographic ones included', () => {
    expect(xml(`Tom & "Jerry" <b> it's ‘quoted’\u0001`)).toBe(
      'Tom &amp; &quot;Jerry&quot; &lt;b&gt; it&apos;s &#x2018;quoted&#x2019;',
    )
    expect(powershellString("it's ‘x’")).toBe("'it''s ‘‘x’’'")
    const script = toastScript({ ...message, title: "'); Remove-Item C:\\ -Recurse; ('" }, options)
    const load = script.split('\n').find((line) => line.startsWith('$xml.LoadXml('))
    // One single-quoted string from `(` to `)`, with no quote inside it.
    expect(load).toMatch(/^\$xml\.LoadXml\('[^'‘’‚‛]*'\)$/)
  })

  it('runs Windows PowerShell with the script as -EncodedCommand (UTF-16LE, base64)', () => {
    const line = windowsCommand(message, { ...options, env: {}, spawn: fakeSpawn().spawn })
    expect(line.command).toBe('powershell.exe')
    expect(line.args.slice(0, 5)).toEqual([
      '-NoProfile',
      '-NonInteractive',
      '-ExecutionPolicy',
      'Bypass',
      '-EncodedCommand',
    ])
    const script = Buffer.from(line.args[5]!, 'base64').toString('utf16le')
    expect(script).toBe(toastScript(message, options))
    expect(script).toContain(`CreateToastNotifier('${POWERSHELL_APP_ID}').Show($toast)`)
    expect(script).toMatch(/\$toast\.Tag = '[0-9a-f]{32}'/)
  })

  it('reports PowerShell’s error and what to check', async () => {
    const { spawn, calls } = fakeSpawn({
      code: 1,
      stderr: 'Exception calling "Show": Element not found.\r\n',
    })
    const error = await desktopNotifier({ platform: 'win32', env: {}, spawn, cacheDir: join(dir, 'icons') })
      .send(sampleNotification(), context())
      .catch((e: unknown) => e)
    expect(calls[0]?.command).toBe('powershell.exe')
    expect(error).toBeInstanceOf(NotifierError)
    expect((error as Error).message).toMatch(
      /^\[cashnotify\] \[desktop\] PowerShell could not show the toast: Exception calling "Show": Element not found\. Check that notifications are on/,
    )
  })
})
