/**
 * Every string the extension and the CLI show is translated: each `l10n.t` / `vscode.l10n.t` message in
 * src (as @vscode/l10n-dev extracts it) and each package.nls.json entry has a zh-CN entry with the same
 * placeholders, nothing stale is left behind, and a zh-CN entry that copies English prose is caught.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { getL10nJson } from '@vscode/l10n-dev';

const ROOT = path.resolve(__dirname, '../../..');
/** The simulator is test infrastructure that plays a gateway; it speaks the gateway's languages itself. */
const NOT_SHOWN = [path.join('src', 'simulator')];

function sources(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const rel = path.join(dir, entry.name);
    if (NOT_SHOWN.includes(rel)) return [];
    if (entry.isDirectory()) return sources(rel);
    return entry.name.endsWith('.ts') ? [rel] : [];
  });
}

function readJson(rel: string): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8')) as Record<string, unknown>;
}

/** A bundle value is either the message or { message, comment }. */
const messageOf = (value: unknown): string => (typeof value === 'string' ? value : (value as { message: string }).message);
const placeholders = (text: string): string[] => [...text.matchAll(/\{[^{}\s]+\}/g)].map((m) => m[0]).sort();
/** Two or more English words in a row: prose, which a zh-CN entry should not keep untranslated. */
const ENGLISH_PROSE = /[A-Za-z]{2,}[ ,.'’]+[A-Za-z]{2,}/;
const CJK = /[\u3400-\u9fff]/;

function compare(english: Record<string, string>, chinese: Record<string, unknown>, where: string): string[] {
  const problems: string[] = [];
  for (const [key, message] of Object.entries(english)) {
    const zh = chinese[key];
    if (typeof zh !== 'string') {
      problems.push(`${where}: no zh-CN entry for ${JSON.stringify(key)}`);
      continue;
    }
    if (placeholders(zh).join() !== placeholders(message).join()) {
      problems.push(`${where}: placeholders differ for ${JSON.stringify(key)}: en ${placeholders(message).join(' ') || '(none)'}, zh-CN ${placeholders(zh).join(' ') || '(none)'}`);
    }
    if (ENGLISH_PROSE.test(message.replace(/\{[^}]*\}/g, '')) && !CJK.test(zh)) problems.push(`${where}: zh-CN entry for ${JSON.stringify(key)} is not Chinese: ${JSON.stringify(zh)}`);
  }
  for (const key of Object.keys(chinese)) if (!(key in english)) problems.push(`${where}: stale zh-CN entry ${JSON.stringify(key)} (no longer in the source)`);
  return problems;
}

describe('localisation (en + zh-CN)', () => {
  it('every runtime message in src has a zh-CN translation with the same placeholders', async function () {
    this.timeout(60_000);
    const files = sources('src').map((rel) => ({ contents: fs.readFileSync(path.join(ROOT, rel), 'utf8'), extension: '.ts' }));
    const extracted = await getL10nJson(files);
    const english = Object.fromEntries(Object.entries(extracted).map(([key, value]) => [key, messageOf(value)]));
    const problems = compare(english, readJson('l10n/bundle.l10n.zh-cn.json'), 'l10n/bundle.l10n.zh-cn.json');
    assert.deepEqual(problems, []);
  });

  it('every %key% in package.json is in package.nls.json, and package.nls.zh-cn.json translates all of them', () => {
    const manifest = fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8');
    const english = readJson('package.nls.json') as Record<string, string>;
    const used = new Set([...manifest.matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!));
    const problems = [...used].filter((key) => !(key in english)).map((key) => `package.json uses %${key}% but package.nls.json lacks it`);
    problems.push(...Object.keys(english).filter((key) => !used.has(key)).map((key) => `package.nls.json: ${key} is not used by package.json`));
    problems.push(...compare(english, readJson('package.nls.zh-cn.json'), 'package.nls.zh-cn.json'));
    assert.deepEqual(problems, []);
  });

  it('the checks above catch a missing entry, a lost placeholder, English left in place and a stale key', () => {
    const problems = compare(
      { 'Delete {0}?': 'Delete {0}?', 'Sign in again.': 'Sign in again.', 'Token {0} is disabled': 'Token {0} is disabled' },
      { 'Delete {0}?': '删除？', 'Sign in again.': 'Sign in again.', 'Old key': '旧' },
      'fixture',
    );
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.match(problems.join('\n'), /placeholders differ.*Delete/);
    assert.match(problems.join('\n'), /not Chinese.*Sign in again/);
    assert.match(problems.join('\n'), /no zh-CN entry for "Token \{0\} is disabled"/);
    assert.match(problems.join('\n'), /stale zh-CN entry "Old key"/);
  });
});
