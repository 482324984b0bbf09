/** The shipped zh-CN bundle, for suites that switch the core to Chinese (useLanguage('zh-cn', chineseBundle())). */
import fs from 'node:fs';
import path from 'node:path';

/** This file runs as dist/test/unit/chineseBundle.js: the repository is three levels up. */
const ROOT = path.resolve(__dirname, '../../..');

export function chineseBundle(): Record<string, string> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, 'l10n/bundle.l10n.zh-cn.json'), 'utf8')) as Record<string, string>;
}
