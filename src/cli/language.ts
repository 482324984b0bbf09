/** The CLI speaks the language of its shell: LC_ALL / LC_MESSAGES / LANG, with the extension's bundle. */
import fs from 'node:fs';
import path from 'node:path';
import { BUNDLED_LANGUAGES, languageFromEnv, useLanguage } from '../core/locale';

/**
 * l10n/ sits beside dist/ in the repository and in the .vsix; tests run from deeper folders, so look up
 * a few levels rather than assume one layout.
 */
function bundlePath(language: string, fromDir: string): string | undefined {
  for (let dir = fromDir, i = 0; i < 4; i++, dir = path.dirname(dir)) {
    const file = path.join(dir, 'l10n', `bundle.l10n.${language}.json`);
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

export function useShellLanguage(env: NodeJS.ProcessEnv, fromDir = __dirname): void {
  const language = languageFromEnv(env);
  const file = (BUNDLED_LANGUAGES as readonly string[]).includes(language) ? bundlePath(language, fromDir) : undefined;
  // A missing or broken bundle leaves the CLI in English rather than failing the write.
  let bundle: Record<string, string> | undefined;
  try {
    bundle = file ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, string>) : undefined;
  } catch {
    bundle = undefined;
  }
  useLanguage(bundle ? language : 'en', bundle);
}
