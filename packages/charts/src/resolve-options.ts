/** The look and PNG options checked once, with their defaults, in the house sentence. */
import { existsSync } from 'node:fs'
import { ConfigError, invalidOption, type OptionChecks, optionChecks } from '@cashnotify/core/notifier'
import { NAME, type PngOptions, type RevenueChartOptions } from './types.js'

/** {@link RevenueChartOptions} once checked. */
export interface ResolvedOptions {
  readonly title: string | undefined
  readonly locale: string
  readonly width: number
  readonly height: number
}

/** {@link PngOptions} once checked. */
export interface ResolvedPngOptions {
  readonly scale: number
  readonly fontFiles: readonly string[]
}

/**
 * Where DejaVu Sans is on the systems a server runs: Debian and Ubuntu (`fonts-dejavu-core`), Fedora,
 * Alpine, Arch. The bold face draws the title; without it the title is drawn in the regular face.
 */
const FONT_DIRS = [
  '/usr/share/fonts/truetype/dejavu',
  '/usr/share/fonts/dejavu-sans-fonts',
  '/usr/share/fonts/dejavu',
  '/usr/share/fonts/TTF',
]
const FONT_FILES = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf']

function inRange(checks: OptionChecks, value: unknown, path: string, min: number, max: number): boolean {
  const ok = typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max
  return checks.check(ok, path, `a whole number from ${min} to ${max}`, value)
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isLocale(locale: unknown): boolean {
  if (typeof locale !== 'string' || locale === '') return false
  try {
    return Intl.getCanonicalLocales(locale).length === 1
  } catch {
    return false
  }
}

/**
 * Checks the look options and fills in the defaults.
 * @throws `ConfigError` listing every problem.
 */
export function resolveOptions(options: RevenueChartOptions = {}): ResolvedOptions {
  if (!isObject(options)) throw invalidOption(NAME, 'options', 'an object', options)
  const checks = optionChecks(NAME)
  const { title, locale = 'en-US', width = 640, height = 320 } = options
  checks.check(
    title === undefined || (typeof title === 'string' && title.trim() !== ''),
    'title',
    'a string that is not blank',
    title,
  )
  checks.check(isLocale(locale), 'locale', 'a BCP 47 locale such as `en-US`', locale)
  inRange(checks, width, 'width', 240, 2000)
  inRange(checks, height, 'height', 160, 1200)
  checks.throwIfAny()
  return { title, locale, width, height }
}

/**
 * Checks the PNG options and finds the fonts.
 * @throws `ConfigError` listing every problem, or saying which font to install.
 */
export function resolvePngOptions(options: PngOptions = {}): ResolvedPngOptions {
  if (!isObject(options)) throw invalidOption(NAME, 'png', 'an object', options)
  const checks = optionChecks(NAME)
  const { scale = 2, fontFiles } = options
  checks.check(
    typeof scale === 'number' && Number.isFinite(scale) && scale >= 0.5 && scale <= 4,
    'scale',
    'a number from 0.5 to 4',
    scale,
  )
  if (fontFiles !== undefined) {
    const ok = Array.isArray(fontFiles) && fontFiles.length > 0
    if (checks.check(ok, 'fontFiles', 'a non-empty array of paths to TTF or OTF files', fontFiles)) {
      fontFiles.forEach((file, i) => {
        const exists = typeof file === 'string' && existsSync(file)
        checks.check(exists, `fontFiles[${i}]`, 'the path of an existing font file', file)
      })
    }
  }
  checks.throwIfAny()
  return { scale, fontFiles: fontFiles ?? systemFonts() }
}

/** DejaVu Sans's files from the first folder that has its regular face. */
function systemFonts(): readonly string[] {
  for (const dir of FONT_DIRS) {
    const files = FONT_FILES.map((file) => `${dir}/${file}`).filter((file) => existsSync(file))
    if (files.some((file) => file.endsWith('/DejaVuSans.ttf'))) return files
  }
  throw new ConfigError(
    `[${NAME}] The PNG needs the font DejaVu Sans (DejaVuSans.ttf), found in none of ${FONT_DIRS.join(', ')}. ` +
      'Install it (Debian and Ubuntu: `apt-get install fonts-dejavu-core`) or pass its files as `fontFiles`.',
  )
}
