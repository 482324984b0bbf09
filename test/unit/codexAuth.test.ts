import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { codexAuthMode, planCodexAuth, type CodexAuthMode } from '../../src/core/agents/codexAuth';
import { ConfigShapeError, ConfigSyntaxError } from '../../src/core/agents/types';

// The compiled test runs from dist/test/unit/.
const FIXTURES = path.resolve(__dirname, '../../../test/fixtures/codex-auth');
const fixture = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

const KEY = 'sk-test' + 'x'.repeat(40);

type Json = Record<string, unknown>;

function parse(text: string): Json {
  return JSON.parse(text.replace(/^\uFEFF/, '')) as Json;
}

function toCrlfBom(text: string): string {
  return '\uFEFF' + text.replace(/^\uFEFF/, '').replace(/\r?\n/g, '\r\n');
}

/** The plan's contract: our two fields set, everything else deep-equal, stable, format kept. */
function checkPlan(before: string | undefined): string {
  const after = planCodexAuth(before, KEY);
  const doc = parse(after);
  assert.equal(doc.auth_mode, 'apikey');
  assert.equal(doc.OPENAI_API_KEY, KEY);
  assert.equal(codexAuthMode(after), 'apikey');
  if (before !== undefined && before.replace(/^\uFEFF/, '').trim() !== '') {
    const { auth_mode: _m1, OPENAI_API_KEY: _k1, ...rest } = doc;
    const { auth_mode: _m2, OPENAI_API_KEY: _k2, ...restBefore } = parse(before);
    assert.deepEqual(rest, restBefore);
    assert.equal(after.startsWith('\uFEFF'), before.startsWith('\uFEFF'), 'BOM');
    if (before.includes('\r\n')) assert.ok(!/(?<!\r)\n/.test(after), 'CRLF kept');
    else assert.ok(!after.includes('\r\n'), 'LF kept');
  }
  assert.equal(planCodexAuth(after, KEY), after, 'a second plan changes nothing');
  return after;
}

describe('Codex auth.json', () => {
  describe('codexAuthMode', () => {
    const table: Array<[source: string | undefined, mode: CodexAuthMode, note: string]> = [
      [undefined, 'missing', 'no file'],
      ['', 'missing', 'empty file'],
      ['chatgpt-tokens.json', 'chatgpt', 'explicit chatgpt with tokens'],
      ['chatgpt-implicit.json', 'chatgpt', 'no auth_mode, tokens, OPENAI_API_KEY null'],
      ['apikey-old.json', 'apikey', 'explicit apikey'],
      ['apikey-implicit.json', 'apikey', 'no auth_mode, OPENAI_API_KEY set'],
      ['empty-object.json', 'missing', '{}: no credential (Codex: ChatGPT without tokens, not logged in)'],
      ['personal-access-token.json', 'other', 'personal access token'],
      ['unknown-mode.json', 'other', 'auth_mode Codex does not know'],
      ['malformed.json', 'other', 'unparsable'],
      ['with-comment.json', 'other', 'a comment (serde_json rejects it)'],
      ['top-level-array.json', 'other', 'not an object'],
    ];
    for (const [source, mode, note] of table) {
      it(`${source ?? 'missing file'} → ${mode} (${note})`, () => {
        const text = source === undefined || source === '' ? source : fixture(source);
        assert.equal(codexAuthMode(text), mode);
      });
    }

    it('lets an explicit auth_mode win over a key that is present', () => {
      assert.equal(codexAuthMode('{"auth_mode":"chatgpt","OPENAI_API_KEY":"sk-x"}'), 'chatgpt');
      assert.equal(codexAuthMode('{"auth_mode":"chatgptAuthTokens"}'), 'chatgpt');
      assert.equal(codexAuthMode('{"auth_mode":"apikey","OPENAI_API_KEY":null}'), 'apikey');
      assert.equal(codexAuthMode('{"auth_mode":null,"OPENAI_API_KEY":"sk-x"}'), 'apikey');
      assert.equal(codexAuthMode('{"auth_mode":5}'), 'other');
      assert.equal(codexAuthMode('{"OPENAI_API_KEY":null,"tokens":null,"last_refresh":"x"}'), 'missing');
      assert.equal(codexAuthMode('{"agent_identity":{"id":"a"}}'), 'other');
      assert.equal(codexAuthMode('{"auth_mode":"chatgpt"}'), 'chatgpt');
    });
  });

  describe('planCodexAuth', () => {
    it('switches a ChatGPT login to API-key mode and keeps tokens, last_refresh and agent_identity', () => {
      const before = fixture('chatgpt-tokens.json');
      const after = checkPlan(before);
      const doc = parse(after);
      assert.deepEqual(doc.tokens, parse(before).tokens);
      assert.equal(doc.last_refresh, '2026-08-01T12:00:00Z');
      assert.ok('agent_identity' in doc);
      assert.deepEqual(Object.keys(doc), ['auth_mode', 'OPENAI_API_KEY', 'tokens', 'last_refresh', 'agent_identity']);
      // Only the two values changed: every other line is byte-identical.
      const changed = after.split('\n').filter((line) => !before.split('\n').includes(line));
      assert.deepEqual(changed, ['  "auth_mode": "apikey",', `  "OPENAI_API_KEY": "${KEY}",`]);
    });

    it('adds auth_mode when ChatGPT mode is implicit', () => {
      const after = checkPlan(fixture('chatgpt-implicit.json'));
      assert.deepEqual(Object.keys(parse(after)), ['auth_mode', 'OPENAI_API_KEY', 'tokens', 'last_refresh']);
    });

    it('replaces an old key in API-key mode', () => {
      const after = checkPlan(fixture('apikey-old.json'));
      assert.ok(!after.includes('sk-old-key-1234'));
      assert.deepEqual(Object.keys(parse(after)), ['auth_mode', 'OPENAI_API_KEY', 'tokens', 'last_refresh']);
    });

    it('puts auth_mode first in a one-line key-only file', () => {
      const after = checkPlan(fixture('apikey-implicit.json'));
      assert.deepEqual(Object.keys(parse(after)), ['auth_mode', 'OPENAI_API_KEY']);
    });

    it('fills {} and keeps other modes’ data (personal access token)', () => {
      assert.deepEqual(parse(checkPlan(fixture('empty-object.json'))), { auth_mode: 'apikey', OPENAI_API_KEY: KEY });
      const pat = parse(checkPlan(fixture('personal-access-token.json')));
      assert.equal(pat.personal_access_token, 'pat-dummy');
    });

    it('creates the file when it is missing or empty', () => {
      const expected = `{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "${KEY}"\n}\n`;
      assert.equal(checkPlan(undefined), expected);
      assert.equal(checkPlan(''), expected);
    });

    it('keeps CRLF and BOM', () => {
      for (const file of ['chatgpt-tokens.json', 'apikey-old.json', 'empty-object.json']) checkPlan(toCrlfBom(fixture(file)));
    });

    it('changes no byte when already in API-key mode with this key', () => {
      const before = `{\n  "auth_mode": "apikey",\n  "OPENAI_API_KEY": "${KEY}",\n  "tokens": null\n}\n`;
      assert.equal(planCodexAuth(before, KEY), before);
    });

    it('refuses malformed JSON, comments and a non-object, with a position', () => {
      assert.throws(() => planCodexAuth(fixture('malformed.json'), KEY, '/home/u/.codex/auth.json'), (e: unknown) => {
        assert.ok(e instanceof ConfigSyntaxError && e.line === 5 && e.column === 1, String(e));
        assert.match(e.message, /^\/home\/u\/\.codex\/auth\.json:5:1:/);
        return true;
      });
      assert.throws(() => planCodexAuth(fixture('with-comment.json'), KEY), (e: unknown) => e instanceof ConfigSyntaxError && e.line === 2 && e.column === 3 && /comments/.test(e.reason));
      assert.throws(() => planCodexAuth('{"OPENAI_API_KEY": "a",}', KEY), (e: unknown) => e instanceof ConfigSyntaxError && /trailing comma/.test(e.reason));
      assert.throws(() => planCodexAuth(fixture('top-level-array.json'), KEY), ConfigShapeError);
      assert.throws(() => planCodexAuth('{"auth_mode": "chatgpt", "auth_mode": "chatgpt"}', KEY), /"auth_mode" appears 2 times/);
    });

    it('never puts a key in an error message', () => {
      assert.throws(
        () => planCodexAuth(`{"OPENAI_API_KEY": "${KEY}" "tokens": null}`, KEY),
        (e: unknown) => e instanceof ConfigSyntaxError && !e.message.includes(KEY.slice(3)),
      );
    });

    it('rejects an empty key', () => {
      assert.throws(() => planCodexAuth(undefined, ''), /non-empty/);
    });
  });
});
