// The CLI's language comes from the shell's locale variables, as POSIX orders them, and falls back to
// English when the variables say nothing, say C/POSIX, or the bundle cannot be read.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as l10n from '@vscode/l10n';
import { useShellLanguage } from '../../src/cli/language';
import { displayLocale, languageFromEnv, prefersChinese, useLanguage } from '../../src/core/locale';

describe('CLI language from LANG / LC_ALL', () => {
  it('LANG=zh_CN.UTF-8 picks the Chinese bundle; any Chinese locale does', () => {
    assert.equal(languageFromEnv({ LANG: 'zh_CN.UTF-8' }), 'zh-cn');
    assert.equal(languageFromEnv({ LANG: 'zh_CN' }), 'zh-cn');
    assert.equal(languageFromEnv({ LANG: 'zh_TW.UTF-8' }), 'zh-cn');
  });

  it('en_US is English, and nothing set is English', () => {
    assert.equal(languageFromEnv({ LANG: 'en_US.UTF-8' }), 'en');
    assert.equal(languageFromEnv({}), 'en');
    assert.equal(languageFromEnv({ LANG: '' }), 'en');
  });

  it('LC_ALL wins over LC_MESSAGES, which wins over LANG; an empty one does not count', () => {
    assert.equal(languageFromEnv({ LC_ALL: 'en_US.UTF-8', LANG: 'zh_CN.UTF-8' }), 'en');
    assert.equal(languageFromEnv({ LC_ALL: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' }), 'zh-cn');
    assert.equal(languageFromEnv({ LC_MESSAGES: 'zh_CN.UTF-8', LANG: 'en_US.UTF-8' }), 'zh-cn');
    assert.equal(languageFromEnv({ LC_ALL: 'en_US.UTF-8', LC_MESSAGES: 'zh_CN.UTF-8' }), 'en');
    assert.equal(languageFromEnv({ LC_ALL: '', LANG: 'zh_CN.UTF-8' }), 'zh-cn');
  });

  it('C and POSIX are English', () => {
    assert.equal(languageFromEnv({ LANG: 'C' }), 'en');
    assert.equal(languageFromEnv({ LANG: 'POSIX' }), 'en');
    assert.equal(languageFromEnv({ LC_ALL: 'C' }), 'en');
    // The first variable set wins even when it is C: a script's LC_ALL=C asks for stable English output.
    assert.equal(languageFromEnv({ LC_ALL: 'C', LANG: 'zh_CN.UTF-8' }), 'en');
    assert.equal(languageFromEnv({ LC_ALL: 'C.UTF-8', LANG: 'zh_CN.UTF-8' }), 'en');
  });

  describe('useShellLanguage', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(path.join(os.tmpdir(), 'tokaify-cli-lang-'))));
    afterEach(() => {
      useLanguage('en');
      rmSync(dir, { recursive: true, force: true });
    });
    const bundle = (text: string) => {
      mkdirSync(path.join(dir, 'l10n'));
      writeFileSync(path.join(dir, 'l10n', 'bundle.l10n.zh-cn.json'), text);
    };

    it('finds the bundle above the script and speaks Chinese', () => {
      bundle(JSON.stringify({ 'Nothing was written.': '未写入任何内容。' }));
      const dist = path.join(dir, 'dist');
      mkdirSync(dist);
      useShellLanguage({ LANG: 'zh_CN.UTF-8' }, dist);
      assert.equal(l10n.t('Nothing was written.'), '未写入任何内容。');
      assert.equal(displayLocale(), 'zh-CN');
      assert.ok(prefersChinese());
    });

    it('a broken bundle, or C.UTF-8, leaves it in English', () => {
      bundle('{ not json');
      useShellLanguage({ LANG: 'zh_CN.UTF-8' }, dir);
      assert.equal(l10n.t('Nothing was written.'), 'Nothing was written.');
      assert.equal(displayLocale(), 'en');
      useShellLanguage({ LANG: 'C.UTF-8' }, dir);
      assert.equal(displayLocale(), 'en');
    });
  });
});
