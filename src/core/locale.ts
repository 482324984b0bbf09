/**
 * The user's language for the vscode-free core. Core modules translate with `@vscode/l10n` (`l10n.t`,
 * extracted by @vscode/l10n-dev like the glue's `vscode.l10n.t`), and format numbers and dates with
 * `displayLocale()`. The glue hands over VS Code's language and bundle at activation; the CLI reads
 * LC_ALL / LC_MESSAGES / LANG. Never call `l10n.t` at module load: the bundle is not configured yet.
 */
import * as l10n from '@vscode/l10n';

/** The languages we ship a bundle for (l10n/bundle.l10n.<tag>.json, package.nls.<tag>.json). */
export const BUNDLED_LANGUAGES = ['zh-cn'] as const;

let language = 'en';
let locale = 'en';

/** VS Code's language tag ('en', 'zh-cn', …) and, when not English, its bundle of our strings. */
export function useLanguage(tag: string, bundle?: l10n.l10nJsonFormat): void {
  language = tag.toLowerCase();
  locale = bcp47(language);
  // An empty bundle, not none: a process that switches back to English must not keep the old strings.
  l10n.config({ contents: bundle ?? {} });
}

/** A BCP 47 locale for Intl (`zh-CN`, `en`). */
export function displayLocale(): string {
  return locale;
}

/** `zh-cn` → `zh-CN`; a tag Intl would refuse (it throws) → `en`. */
function bcp47(tag: string): string {
  const [base, region] = tag.split('-');
  const candidate = region ? `${base}-${region.toUpperCase()}` : base || 'en';
  try {
    return Intl.getCanonicalLocales(candidate)[0] ?? 'en';
  } catch {
    return 'en';
  }
}

/**
 * The `Accept-Language` for requests to the gateway: new-api picks its i18n messages by the first tag
 * (zh* → Simplified, en, else English). English users send `en`; others their language, then English.
 */
export function acceptLanguage(): string {
  return locale === 'en' || locale.startsWith('en-') ? 'en' : `${locale}, en;q=0.5`;
}

/** Whether the user reads Chinese first: server messages are glossed in the other language. */
export function prefersChinese(): boolean {
  return language.startsWith('zh');
}

/**
 * The CLI's language from the POSIX locale variables (`zh_CN.UTF-8` → `zh-cn`); any Chinese locale
 * gets the Simplified bundle (the only Chinese one shipped), everything else English.
 */
export function languageFromEnv(env: NodeJS.ProcessEnv): string {
  // The first one set wins, C included: scripts set LC_ALL=C for stable output, and get English.
  const raw = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value) ?? '';
  if (/^(C|POSIX)([.@]|$)/i.test(raw)) return 'en';
  const tag = raw.split('.')[0]!.replace('_', '-').toLowerCase();
  if (tag.startsWith('zh')) return 'zh-cn';
  return tag.split('-')[0] || 'en';
}
